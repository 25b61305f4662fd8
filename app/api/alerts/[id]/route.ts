import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { getAlertDetail } from "@/lib/db/alert-detail";
import { AlertPatchRequestSchema, actorIdOf, updateAlert } from "@/lib/db/alert-updates";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const alert = await getAlertDetail(id);
  if (!alert) return errorResponse(404, "not_found", `No alert with id "${id}".`);
  return NextResponse.json(alert, { headers: { etag: `"${alert.version}"` } });
});

/** Applies one patch; the version read comes from If-Match ("3" or 3) or the body's `version`. */
export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "alerts:write");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const body = await readJsonBody(request, AlertPatchRequestSchema);
  if (!body.ok) return body.response;
  const { version: bodyVersion, ...patch } = body.data;
  const header = request.headers.get("if-match");
  const version = header === null ? bodyVersion : parseVersion(header);
  if (version === undefined) {
    return errorResponse(
      400,
      "invalid_request",
      'Invalid request: version: send the version you read as an `If-Match: "N"` header or a `version` field.',
      [{ field: "version", message: "required (If-Match header or body field), a whole number ≥ 1" }],
    );
  }
  const result = await updateAlert(id, version, patch, actorIdOf(auth.principal));
  if (!result.ok) {
    if (result.code === "not_found") return errorResponse(404, result.code, result.message);
    if (result.code === "version_conflict") {
      return errorResponse(409, result.code, result.message, { currentVersion: result.currentVersion });
    }
    return errorResponse(400, result.code, `Invalid request: ${result.field}: ${result.message}`, [
      { field: result.field, message: result.message },
    ]);
  }
  const alert = await getAlertDetail(id);
  if (!alert) return errorResponse(404, "not_found", `No alert with id "${id}".`);
  return NextResponse.json(alert, { headers: { etag: `"${alert.version}"` } });
});

function parseVersion(header: string): number | undefined {
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  const version = match?.[1] ? Number(match[1]) : 0;
  return version >= 1 ? version : undefined;
}
