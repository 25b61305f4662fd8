import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { revokeToken } from "@/lib/auth/token-admin";

export const dynamic = "force-dynamic";

/** Revokes the token; the record stays so the list and the audit log can still name it. */
export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<NextResponse> {
  const auth = await guard(request, "tokens:manage");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const outcome = await revokeToken(actorOf(request, auth), id);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
});
