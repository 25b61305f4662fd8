import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { CreateUserSchema } from "@/lib/auth/admin-schemas";
import { guard } from "@/lib/auth/guard";
import { createUserAccount, listUsers } from "@/lib/auth/user-admin";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "users:manage");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ users: await listUsers() });
});

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "users:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, CreateUserSchema, 8 * 1024);
  if (!body.ok) return body.response;
  const outcome = await createUserAccount(actorOf(request, auth), body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ user: outcome.value }, { status: 201 });
});
