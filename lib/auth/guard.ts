import type { NextResponse } from "next/server";
import { errorResponse } from "../app/http";
import { principalFromApiToken } from "./api-tokens";
import type { Principal } from "./principal";
import { clientIp, readCookie, requestOrigin } from "./request-context";
import { can, type Permission } from "./roles";
import { principalFromSession, SESSION_COOKIE } from "./sessions";

export type GuardResult = { ok: true; principal: Principal; ip: string | null } | { ok: false; response: NextResponse };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The single gate every API route handler calls first:
 *   const auth = await guard(request, "alerts:write");
 *   if (!auth.ok) return auth.response;
 * 401 without valid credentials, 403 without the permission, 403 for a
 * cookie-authenticated state change from another origin (CSRF).
 */
export async function guard(request: Request, permission: Permission): Promise<GuardResult> {
  const authorization = request.headers.get("authorization");
  let principal: Principal | null = null;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    principal = match?.[1] ? await principalFromApiToken(match[1]) : null;
    if (!principal) {
      return deny(401, "unauthenticated", "The API token is invalid, expired or revoked.");
    }
  } else {
    principal = await principalFromSession(readCookie(request.headers, SESSION_COOKIE));
    if (!principal) return deny(401, "unauthenticated", "Sign in, or send an API token as `Authorization: Bearer`.");
    if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
      return deny(403, "cross_site_request", "Refused a state-changing request that did not come from Keelwatch.");
    }
  }
  if (!can(principal.role, permission)) {
    return deny(403, "forbidden", `The ${principal.role} role may not do this (needs ${permission}).`);
  }
  return { ok: true, principal, ip: clientIp(request.headers) };
}

// Browsers send Origin on every cross-origin request and on same-origin POSTs;
// a missing Origin on a cookie-authenticated write is treated as cross-site.
function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin) return origin === requestOrigin(request);
  return request.headers.get("sec-fetch-site") === "same-origin";
}

function deny(status: number, code: string, message: string): GuardResult {
  return { ok: false, response: errorResponse(status, code, message) };
}
