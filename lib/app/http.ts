import { NextResponse } from "next/server";

/**
 * Every API error has one shape: {"error": {"code", "message", "details"?}}.
 * `code` is stable for scripts; `message` is written for the person reading it.
 */
export function errorResponse(status: number, code: string, message: string, details?: unknown): NextResponse {
  const body = details === undefined ? { error: { code, message } } : { error: { code, message, details } };
  return NextResponse.json(body, { status });
}
