import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { actorIdOf } from "@/lib/db/alert-updates";
import { closeMatchingAlerts, deleteExceptionItem, getExceptionItem, updateExceptionItem } from "@/lib/db/exceptions";
import { ExceptionItemPatchSchema } from "@/lib/exceptions";
import { exceptionActor, withStoreErrors } from "../respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const item = await getExceptionItem(id);
  if (!item) return errorResponse(404, "not_found", `No exception with id "${id}".`);
  return NextResponse.json({ item });
});

// closeMatching rides along with the patch; it is not a field of the item, so it is split off first.
/** PATCH /api/exceptions/:id → {item, closedAlerts}; body: any item field, `comment` to add one, `closeMatching`. */
export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const raw = await readJsonBody(request, z.record(z.string(), z.unknown()), 256 * 1024);
  if (!raw.ok) return raw.response;
  const { closeMatching, ...rest } = raw.data;
  if (closeMatching !== undefined && closeMatching !== true && closeMatching !== false) {
    return errorResponse(400, "invalid_request", "Invalid request: closeMatching: must be true or false", [
      { field: "closeMatching", message: "must be true or false" },
    ]);
  }
  const actor = exceptionActor(auth);
  return withStoreErrors(async () => {
    let item = await getExceptionItem(id);
    if (!item) return errorResponse(404, "not_found", `No exception with id "${id}".`);
    if (Object.keys(rest).length > 0 || closeMatching !== true) {
      const patch = ExceptionItemPatchSchema.safeParse(rest);
      if (!patch.success) {
        const details = patch.error.issues.map((issue) => ({
          field: issue.path.join(".") || "(body)",
          message: issue.message,
        }));
        const summary = details.map((d) => `${d.field}: ${d.message}`).join("; ");
        return errorResponse(400, "invalid_request", `Invalid request: ${summary}`, details);
      }
      item = await updateExceptionItem(id, patch.data, actor);
    }
    const closed =
      closeMatching === true
        ? await closeMatchingAlerts(id, actorIdOf(auth.principal), { label: actor.label, ip: actor.ip ?? null })
        : { closed: 0 };
    return NextResponse.json({ item, closedAlerts: closed.closed });
  });
});

export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  return withStoreErrors(async () => {
    await deleteExceptionItem(id, exceptionActor(auth));
    return new NextResponse(null, { status: 204 });
  });
});
