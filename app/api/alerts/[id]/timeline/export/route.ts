import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { TimelineFilterSchema, timelineExportPages } from "@/lib/db/timeline";
import { ExportFormatSchema, exportFileName, exportResponse, exportStream } from "@/lib/export";
import { TIMELINE_EXPORT_COLUMNS } from "@/lib/export/timeline";
import { timelineRefusalResponse } from "../refusal";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const TimelineExportQuerySchema = TimelineFilterSchema.extend({ format: ExportFormatSchema });

/** GET /api/alerts/:id/timeline/export?format=csv|ndjson&window=&scope=&category=&action=: every event of the timeline. */
export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<Response> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = readQueryParams(request, TimelineExportQuerySchema);
  if (!query.ok) return query.response;
  const { id } = await context.params;
  const result = await timelineExportPages(id, query.data);
  if (!result.ok) return timelineRefusalResponse(result);
  const { format } = query.data;
  return exportResponse(
    exportStream(result.pages, format, { columns: TIMELINE_EXPORT_COLUMNS, document: (event) => event.document }),
    format,
    exportFileName(`alert-${id}-timeline`, format),
  );
});
