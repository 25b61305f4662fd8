import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { NotificationRuleInputSchema } from "@/lib/notify/rule-schemas";
import { createNotificationRule, listNotificationRules } from "@/lib/notify/rules-admin";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ rules: await listNotificationRules() });
});

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, NotificationRuleInputSchema, 32 * 1024);
  if (!body.ok) return body.response;
  const outcome = await createNotificationRule(actorOf(request, auth), body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ rule: outcome.value }, { status: 201 });
});
