import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { UpdateUserSchema } from "@/lib/auth/admin-schemas";
import { guard } from "@/lib/auth/guard";
import { updateUserAccount } from "@/lib/auth/user-admin";

export const dynamic = "force-dynamic";

export const PATCH = withStorageErrors(async function PATCH(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<NextResponse> {
  const auth = await guard(request, "users:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, UpdateUserSchema, 8 * 1024);
  if (!body.ok) return body.response;
  const { id } = await context.params;
  const outcome = await updateUserAccount(actorOf(request, auth), id, body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
});
