import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { deleteSavedHunt } from "@/lib/db/hunts";
import { personOf } from "@/lib/hunt/person";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** DELETE /api/hunt/saved/:id: forgets one of the person's saved hunts. */
export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const person = personOf(auth.principal);
  if (!person.ok) return person.response;
  const { id } = await context.params;
  if (!(await deleteSavedHunt(person.userId, id)))
    return errorResponse(404, "not_found", `No saved hunt with id "${id}".`);
  return new NextResponse(null, { status: 204 });
});
