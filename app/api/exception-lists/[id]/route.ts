import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { deleteExceptionList, getExceptionList, updateExceptionList } from "@/lib/db/exceptions";
import { ExceptionListPatchSchema } from "@/lib/exceptions";
import { exceptionActor, withStoreErrors } from "../../exceptions/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const list = await getExceptionList(id);
  if (!list) return errorResponse(404, "not_found", `No exception list with id "${id}".`);
  return NextResponse.json({ list });
});

/** PATCH {name?, description?, ruleIds?}: `ruleIds` replaces the attached rules. */
export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const body = await readJsonBody(request, ExceptionListPatchSchema);
  if (!body.ok) return body.response;
  return withStoreErrors(async () =>
    NextResponse.json({ list: await updateExceptionList(id, body.data, exceptionActor(auth)) }),
  );
});

/** DELETE removes the list and its items. */
export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  return withStoreErrors(async () => {
    await deleteExceptionList(id, exceptionActor(auth));
    return new NextResponse(null, { status: 204 });
  });
});
