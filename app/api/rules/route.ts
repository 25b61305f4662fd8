import { NextResponse } from "next/server";
import { z } from "zod";
import { RuleListQuerySchema } from "@/lib/api/route-schemas";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { createRule, listRules } from "@/lib/db/rule-admin";
import { ruleActor } from "./actor";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "rules:read");
  if (!auth.ok) return auth.response;
  const params = Object.fromEntries(
    [...new URL(request.url).searchParams.entries()].filter(([, value]) => value.trim() !== ""),
  );
  const filter = RuleListQuerySchema.safeParse(params);
  if (!filter.success) {
    const details = filter.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message }));
    const summary = details.map((d) => `${d.field}: ${d.message}`).join("; ");
    return errorResponse(400, "invalid_request", `Invalid filter: ${summary}`, details);
  }
  return NextResponse.json({ items: await listRules(filter.data) });
});

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "rules:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, z.record(z.string(), z.unknown()), 256 * 1024);
  if (!body.ok) return body.response;
  const outcome = await createRule(body.data, ruleActor(auth));
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ rule: outcome.value }, { status: 201 });
});
