import type { NextResponse } from "next/server";
import type { z } from "zod";
import { describeIssues, searchParamsObject } from "../db/alert-list-query";
import { errorResponse } from "./http";

export type QueryParamsResult<T> = { ok: true; data: T } | { ok: false; response: NextResponse };

/**
 * Validates a request's query string with a zod schema, repeated keys read as arrays. A failure is the 400 the
 * list, export, timeline and session routes all answer: `invalid_request`, naming each field in the message and in
 * `details`, the query-string counterpart of readJsonBody.
 */
export function readQueryParams<S extends z.ZodType>(request: Request, schema: S): QueryParamsResult<z.infer<S>> {
  const parsed = schema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (parsed.success) return { ok: true, data: parsed.data };
  const { message, details } = describeIssues(parsed.error);
  return { ok: false, response: errorResponse(400, "invalid_request", `Invalid query parameter ${message}`, details) };
}
