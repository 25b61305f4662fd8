import type { NextResponse } from "next/server";
import type { z } from "zod";
import { errorResponse } from "./http";

export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: NextResponse };

/**
 * Reads a JSON body of at most `maxBytes`, then validates it with a zod
 * schema. Errors name the offending field, e.g. `password: Required`.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = 64 * 1024,
): Promise<BodyResult<z.infer<S>>> {
  const text = await readTextBody(request, maxBytes);
  if (text === null) return tooLarge(maxBytes);
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      response: errorResponse(400, "invalid_json", `The request body is not valid JSON: ${(error as Error).message}`),
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      field: issue.path.join(".") || "(body)",
      message: issue.message,
    }));
    const summary = details.map((d) => `${d.field}: ${d.message}`).join("; ");
    return { ok: false, response: errorResponse(400, "invalid_request", `Invalid request: ${summary}`, details) };
  }
  return { ok: true, data: parsed.data };
}

/** A request body as UTF-8 text, or null once it passes `maxBytes` (the rest is not read). */
export async function readTextBody(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): BodyResult<never> {
  return {
    ok: false,
    response: errorResponse(413, "body_too_large", `The request body is larger than ${maxBytes} bytes.`),
  };
}
