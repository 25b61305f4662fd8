import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { createExceptionList, listExceptionLists } from "@/lib/db/exceptions";
import { ExceptionListInputSchema } from "@/lib/exceptions";
import { exceptionActor, withStoreErrors } from "../exceptions/respond";

export const dynamic = "force-dynamic";

/** GET /api/exception-lists → {lists: ExceptionListView[]} */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ lists: await listExceptionLists() });
});

/** POST /api/exception-lists {name, description?, ruleIds?} → 201 {list} */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, ExceptionListInputSchema);
  if (!body.ok) return body.response;
  return withStoreErrors(async () =>
    NextResponse.json({ list: await createExceptionList(body.data, exceptionActor(auth)) }, { status: 201 }),
  );
});
