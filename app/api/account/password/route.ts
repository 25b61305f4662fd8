import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { ChangePasswordSchema } from "@/lib/auth/admin-schemas";
import { guard } from "@/lib/auth/guard";
import { changeOwnPassword } from "@/lib/auth/user-admin";

export const dynamic = "force-dynamic";

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  // Every person's role holds alerts:read (ingest tokens do not); changeOwnPassword refuses tokens.
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, ChangePasswordSchema, 8 * 1024);
  if (!body.ok) return body.response;
  const outcome = await changeOwnPassword(actorOf(request, auth), body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
});
