import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf } from "@/lib/auth/admin-outcome";
import { CreateTokenSchema } from "@/lib/auth/admin-schemas";
import { guard } from "@/lib/auth/guard";
import { createToken, listTokens } from "@/lib/auth/token-admin";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "tokens:manage");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ tokens: await listTokens() });
});

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "tokens:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, CreateTokenSchema, 8 * 1024);
  if (!body.ok) return body.response;
  const created = await createToken(actorOf(request, auth), body.data);
  // The only response that ever carries the secret: keep it out of every cache.
  return NextResponse.json({ token: created }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
