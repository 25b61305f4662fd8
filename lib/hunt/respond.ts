import type { NextResponse } from "next/server";
import type { z } from "zod";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { isEqlError } from "@/lib/eql";
import { type HuntScope, type HuntScopeSchema, huntRange } from "./request";

/** A bad query as the rule preview answers it: 400, with the line and column in details. */
export function invalidQueryResponse(error: unknown) {
  if (!isEqlError(error)) return null;
  return errorResponse(400, "invalid_query", `The query is not valid EQL: ${error.message}`, [
    { field: "query", line: error.line, column: error.column, message: error.reason },
  ]);
}

export type HuntBody<S extends typeof HuntScopeSchema> =
  | { ok: true; input: z.output<S>; range: { from: Date; to: Date } }
  | { ok: false; response: NextResponse };

/** The JSON body of POST /api/hunt and /api/hunt/summary, validated, with its time range resolved. */
export async function readHuntBody<S extends typeof HuntScopeSchema>(
  request: Request,
  schema: S,
): Promise<HuntBody<S>> {
  const body = await readJsonBody(request, schema, 256 * 1024);
  if (!body.ok) return body;
  const range = huntRange(body.data);
  if (typeof range === "string") {
    return {
      ok: false,
      response: errorResponse(400, "invalid_request", `Invalid request: from: ${range}`, [
        { field: "from", message: range },
      ]),
    };
  }
  return { ok: true, input: body.data, range };
}

/** The range and scope a hunt ran over, as its answers echo them. */
export function huntScopeEcho(input: HuntScope, range: { from: Date; to: Date }) {
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    containerId: input.containerId ?? null,
    hostName: input.hostName ?? null,
    uploadId: input.uploadId ?? null,
  };
}
