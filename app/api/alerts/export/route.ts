import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
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
  const query = readQueryParams(request, AlertExportQuerySchema);
  if (!query.ok) return query.response;
  const { format } = query.data;
  return exportResponse(alertExportStream(query.data), format, exportFileName("alerts", format));
});
