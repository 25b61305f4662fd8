import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { describeIssues, searchParamsObject } from "@/lib/db/alert-list";
import { TimelineFilterSchema, timelineExportPages } from "@/lib/db/timeline";
import { ExportFormatSchema, exportFileName, exportResponse, exportStream } from "@/lib/export";
import { TIMELINE_EXPORT_COLUMNS } from "@/lib/export/timeline";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const TimelineExportQuerySchema = TimelineFilterSchema.extend({ format: ExportFormatSchema });

/** GET /api/alerts/:id/timeline/export?format=csv|ndjson&window=&scope=&category=&action=: every event of the timeline. */
export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<Response> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = TimelineExportQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!query.success) {
    const { message, details } = describeIssues(query.error);
    return errorResponse(400, "invalid_request", `Invalid query parameter ${message}`, details);
  }
  const { id } = await context.params;
  const result = await timelineExportPages(id, query.data);
  if (!result.ok) {
    return errorResponse(
      result.status,
      result.code,
      result.message,
      result.field ? [{ field: result.field, message: result.message }] : undefined,
    );
  }
  const { format } = query.data;
  return exportResponse(
    exportStream(result.pages, format, { columns: TIMELINE_EXPORT_COLUMNS, document: (event) => event.document }),
    format,
    exportFileName(`alert-${id}-timeline`, format),
  );
});
