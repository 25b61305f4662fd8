import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { deleteRule, getRule, updateRule } from "@/lib/db/rule-admin";
import { ruleActor } from "../actor";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "rules:read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const detail = await getRule(id);
  if (!detail) return errorResponse(404, "rule_not_found", `No rule with id "${id}".`);
  return NextResponse.json(detail);
});

export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "rules:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, z.record(z.string(), z.unknown()), 256 * 1024);
  if (!body.ok) return body.response;
  const { id } = await context.params;
  const outcome = await updateRule(id, body.data, ruleActor(auth));
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ rule: outcome.value });
});

/** `?force=true` also deletes the rule's alerts; without it a rule with alerts is refused (409). */
export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  const auth = await guard(request, "rules:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const force = new URL(request.url).searchParams.get("force") === "true";
  const outcome = await deleteRule(id, ruleActor(auth), { force });
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
});
