import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { describeIssues, searchParamsObject } from "@/lib/db/alert-list";
import { exportFileName, exportResponse } from "@/lib/export";
import { AlertExportQuerySchema, alertExportStream } from "@/lib/export/alerts";

export const dynamic = "force-dynamic";

/**
 * GET /api/alerts/export?format=csv|ndjson&<the list's filters and sort> → every matching alert as a download,
 * streamed from the database a page at a time.
 */
export const GET = withStorageErrors(async function GET(request: Request): Promise<Response> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = AlertExportQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!query.success) {
    const { message, details } = describeIssues(query.error);
    return errorResponse(400, "invalid_request", `Invalid query parameter ${message}`, details);
  }
  const { format } = query.data;
  return exportResponse(alertExportStream(query.data), format, exportFileName("alerts", format));
});
