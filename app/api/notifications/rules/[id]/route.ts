import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { NotificationRulePatchSchema } from "@/lib/notify/rule-schemas";
import { deleteNotificationRule, updateNotificationRule } from "@/lib/notify/rules-admin";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, NotificationRulePatchSchema, 32 * 1024);
  if (!body.ok) return body.response;
  const { id } = await context.params;
  const outcome = await updateNotificationRule(actorOf(request, auth), id, body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ rule: outcome.value });
});

export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const outcome = await deleteNotificationRule(actorOf(request, auth), id);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
});
