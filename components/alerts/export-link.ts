import type { ExportFormat } from "@/lib/export/stream";
import { type AlertListFilter, apiSearchParams } from "./list-state";

/**
 * The URL of the export of every alert the filter selects, in the list's
 * sort. A relative time range ("last 24 hours") becomes `from` at `now`: call
 * it when the link is followed, not when the menu is drawn.
 */
export function exportHref(filter: AlertListFilter, format: ExportFormat, now = Date.now()): string {
  const params = apiSearchParams(filter, now);
  params.set("format", format);
  return `/api/alerts/export?${params}`;
}
