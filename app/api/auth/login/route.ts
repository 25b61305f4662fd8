import { NextResponse } from "next/server";
import { LoginSchema } from "@/lib/api/route-schemas";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { setSessionCookie } from "@/lib/auth/cookies";
import { checkLogin } from "@/lib/auth/login";
import { clientIp } from "@/lib/auth/request-context";
import { startSession } from "@/lib/auth/sessions";

// Public by design: this is how a person gets credentials.
export const dynamic = "force-dynamic";

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const body = await readJsonBody(request, LoginSchema, 8 * 1024);
  if (!body.ok) return body.response;
  const ip = clientIp(request.headers);
  const outcome = await checkLogin(body.data.username, body.data.password, ip);
  if (!outcome.ok) {
    if (outcome.reason === "locked") {
      const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
      const response = errorResponse(
        429,
        "account_locked",
        `Too many failed sign-ins. This account is locked; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      );
      response.headers.set("Retry-After", String(outcome.retryAfterSeconds));
      return response;
    }
    return errorResponse(401, "invalid_credentials", "Wrong username or password.");
  }
  const session = await startSession(outcome.userId, { userAgent: request.headers.get("user-agent"), ip });
  const response = NextResponse.json({ ok: true });
  setSessionCookie(response, request, session.cookieValue, session.expiresAt);
  return response;
});
