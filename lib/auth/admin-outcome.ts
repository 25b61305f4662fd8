import type { NextResponse } from "next/server";
import { errorResponse } from "../app/http";
import type { Principal } from "./principal";
import { readCookie } from "./request-context";
import { hashSecret } from "./secrets";
import { SESSION_COOKIE } from "./sessions";

/** A refusal a route turns into its JSON error; `details` name fields the way readJsonBody does. */
export interface Refusal {
  ok: false;
  status: 400 | 403 | 404 | 409;
  code: string;
  message: string;
  details?: { field: string; message: string }[];
}

export type Outcome<T> = { ok: true; value: T } | Refusal;

export function refuse(
  status: Refusal["status"],
  code: string,
  message: string,
  details?: Refusal["details"],
): Refusal {
  return details ? { ok: false, status, code, message, details } : { ok: false, status, code, message };
}

export function refusalResponse(refusal: Refusal): NextResponse {
  return errorResponse(refusal.status, refusal.code, refusal.message, refusal.details);
}

/** Who is acting, for the audit log, plus the session to spare when they sign themselves out elsewhere. */
export interface Actor {
  principal: Principal;
  ip: string | null;
  /** sha256 of the session cookie this request came with; null for API tokens. */
  sessionIdHash: string | null;
}

export function actorOf(request: Request, auth: { principal: Principal; ip: string | null }): Actor {
  const cookie = auth.principal.kind === "user" ? readCookie(request.headers, SESSION_COOKIE) : undefined;
  return { principal: auth.principal, ip: auth.ip, sessionIdHash: cookie ? hashSecret(cookie) : null };
}
