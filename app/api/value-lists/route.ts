import { NextResponse } from "next/server";
import { ValueListNameQuerySchema } from "@/lib/api/route-schemas";
import { readJsonBody, readTextBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { createValueList, listValueLists } from "@/lib/db/exceptions";
import { ValueListInputSchema } from "@/lib/exceptions";
import { exceptionActor, parseQuery, withStoreErrors } from "../exceptions/respond";

export const dynamic = "force-dynamic";

// 100,000 values of typical length fit well inside this.
const MAX_BYTES = 8 * 1024 * 1024;

/** GET /api/value-lists → {lists: [{id, name, valueCount, createdAt}]} */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ lists: await listValueLists() });
});

/**
 * POST /api/value-lists → 201 {list}. Either JSON `{name, text}` or the file
 * itself as text/plain with `?name=`; one value per line, blank lines skipped.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  let input: { name: string; text: string };
  if ((request.headers.get("content-type") ?? "").startsWith("text/plain")) {
    const query = parseQuery(request, ValueListNameQuerySchema);
    if (!query.ok) return query.response;
    const text = await readTextBody(request, MAX_BYTES);
    if (text === null) return errorResponse(413, "body_too_large", `The file is larger than ${MAX_BYTES} bytes.`);
    input = { name: query.data.name, text };
  } else {
    const body = await readJsonBody(request, ValueListInputSchema, MAX_BYTES);
    if (!body.ok) return body.response;
    input = body.data;
  }
  return withStoreErrors(async () =>
    NextResponse.json({ list: await createValueList(input.name, input.text, exceptionActor(auth)) }, { status: 201 }),
  );
});
