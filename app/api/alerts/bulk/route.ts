import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { principalLabel } from "@/lib/auth/principal";
import { AlertInputError, BulkAlertActionSchema, bulkUpdateAlerts } from "@/lib/db/alert-list";
import { appendAudit } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

/**
 * POST /api/alerts/bulk {ids, action: acknowledge|close|assign|reopen, closingReason?, assigneeId?}
 * → {updated, unchanged, missing} (alert ids). All changes happen together or not at all.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, BulkAlertActionSchema);
  if (!body.ok) return body.response;
  const actorId = auth.principal.kind === "user" ? auth.principal.id : null;
  try {
    const result = await bulkUpdateAlerts(body.data, actorId);
    await appendAudit({
      actorId,
      actorLabel: principalLabel(auth.principal),
      action: `alerts.bulk.${body.data.action}`,
      targetType: "alert",
      details: { updated: result.updated.length, ids: result.updated, closingReason: body.data.closingReason },
      ip: auth.ip,
    });
    return NextResponse.json(result);
  } catch (error) {
    if (error instanceof AlertInputError) {
      return errorResponse(400, "invalid_request", `Invalid request: ${error.message}`, [
        { field: error.field, message: error.message },
      ]);
    }
    throw error;
  }
});
