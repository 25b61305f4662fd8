import type { NextResponse } from "next/server";
import type { z } from "zod";
import { errorResponse } from "@/lib/app/http";
import { type Principal, principalLabel } from "@/lib/auth/principal";
import { type ExceptionActor, ExceptionStoreError } from "@/lib/db/exceptions";

/** The person or token behind an exceptions change, as lib/db/exceptions records it. */
export function exceptionActor(auth: { principal: Principal; ip: string | null }): ExceptionActor {
  return {
    id: auth.principal.kind === "user" ? auth.principal.id : null,
    label: principalLabel(auth.principal),
    ip: auth.ip,
  };
}

/** Runs a store call; its refusals become error bodies with the field that caused them. */
export async function withStoreErrors(work: () => Promise<NextResponse>): Promise<NextResponse> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ExceptionStoreError)) throw error;
    const details = error.field ? [{ field: error.field, message: error.message }] : undefined;
    return errorResponse(error.status, error.code, error.message, details);
  }
}

/** Query parameters validated like bodies: 400 with `details[].field`. */
export function parseQuery<S extends z.ZodType>(
  request: Request,
  schema: S,
): { ok: true; data: z.infer<S> } | { ok: false; response: NextResponse } {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (parsed.success) return { ok: true, data: parsed.data };
  const details = parsed.error.issues.map((issue) => ({
    field: issue.path.join(".") || "(query)",
    message: issue.message,
  }));
  const summary = details.map((d) => `${d.field}: ${d.message}`).join("; ");
  return { ok: false, response: errorResponse(400, "invalid_request", `Invalid query parameter ${summary}`, details) };
}
