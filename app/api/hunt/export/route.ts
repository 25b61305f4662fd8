import { errorResponse } from "@/lib/app/http";
import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { compile } from "@/lib/eql";
import { exportFileName, exportResponse } from "@/lib/export";
import { HuntExportQuerySchema, huntExportStream } from "@/lib/hunt/export";
import { huntRange } from "@/lib/hunt/request";
import { invalidQueryResponse } from "@/lib/hunt/respond";

export const dynamic = "force-dynamic";

/**
 * GET /api/hunt/export?query=&from=&to=&containerId=&hostName=&uploadId=&format=csv|ndjson → every result of
 * the hunt as a download, streamed as the scan finds them.
 */
export const GET = withStorageErrors(async function GET(request: Request): Promise<Response> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = readQueryParams(request, HuntExportQuerySchema);
  if (!query.ok) return query.response;
  const range = huntRange(query.data);
  if (typeof range === "string") {
    return errorResponse(400, "invalid_request", `Invalid query parameter from: ${range}`, [
      { field: "from", message: range },
    ]);
  }
  // A bad query is a 400 before the download starts, not a broken file.
  try {
    compile(query.data.query);
  } catch (error) {
    const invalid = invalidQueryResponse(error);
    if (invalid) return invalid;
    throw error;
  }
  const { format } = query.data;
  return exportResponse(
    huntExportStream(query.data, range, format, request.signal),
    format,
    exportFileName("hunt", format),
  );
});
