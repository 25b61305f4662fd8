import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { clearSessionCookie } from "@/lib/auth/cookies";
import { guard } from "@/lib/auth/guard";
import { readCookie } from "@/lib/auth/request-context";
import { endSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { appendAudit } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  await endSession(readCookie(request.headers, SESSION_COOKIE));
  if (auth.principal.kind === "user") {
    await appendAudit({
      actorId: auth.principal.id,
      actorLabel: auth.principal.username,
      action: "logout",
      ip: auth.ip,
    });
  }
  const response = NextResponse.json({ ok: true });
  clearSessionCookie(response, request);
  return response;
});
