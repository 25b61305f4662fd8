import { NextResponse } from "next/server";
import { readTextBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { importExceptions } from "@/lib/db/exceptions";
import { exceptionActor } from "../respond";

export const dynamic = "force-dynamic";

const MAX_BYTES = 5 * 1024 * 1024;

/** POST /api/exceptions/import (NDJSON body) → {listsCreated, listsUpdated, itemsCreated, itemsUnchanged, errors: [{line, message}]} */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const text = await readTextBody(request, MAX_BYTES);
  if (text === null) return errorResponse(413, "body_too_large", `The file is larger than ${MAX_BYTES} bytes.`);
  return NextResponse.json(await importExceptions(text, exceptionActor(auth)));
});
