import type { NextResponse } from "next/server";
import { isHttps } from "./request-context";
import { SESSION_COOKIE } from "./sessions";

export function setSessionCookie(response: NextResponse, request: Request, value: string, expiresAt: Date): void {
  response.cookies.set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(response: NextResponse, request: Request): void {
  response.cookies.set(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttps(request),
    path: "/",
    maxAge: 0,
  });
}
