import type { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import type { TimelineResult } from "@/lib/db/timeline";

/**
 * Why an alert has no timeline (no such alert, or its event lacks the field the chosen scope needs) as the error
 * the timeline and its export both answer, `details` naming the query parameter at fault.
 */
export function timelineRefusalResponse(refusal: Extract<TimelineResult, { ok: false }>): NextResponse {
  const details = refusal.field ? [{ field: refusal.field, message: refusal.message }] : undefined;
  return errorResponse(refusal.status, refusal.code, refusal.message, details);
}
