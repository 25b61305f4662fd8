import { z } from "zod";
import { ALERT_SORTS, AlertFilterSchema, type AlertListItem, alertPages } from "@/lib/db/alert-list";
import { type ExportColumn, ExportFormatSchema, exportStream } from "./stream";

/**
 * The alert list's export: every alert that the list's filters select, in the
 * list's order, as CSV (the columns below) or NDJSON (each line an item as
 * GET /api/alerts answers it). Same filters as the list, without paging.
 */

export const AlertExportQuerySchema = AlertFilterSchema.and(
  z.object({
    sort: z.preprocess((raw) => (raw === "" ? undefined : raw), z.enum(ALERT_SORTS).default("newest")),
    format: ExportFormatSchema,
  }),
);
export type AlertExportQuery = z.output<typeof AlertExportQuerySchema>;

export const ALERT_EXPORT_COLUMNS: readonly ExportColumn<AlertListItem>[] = [
  { header: "id", value: (alert) => alert.id },
  { header: "timestamp", value: (alert) => alert.timestamp },
  { header: "severity", value: (alert) => alert.severity },
  { header: "riskScore", value: (alert) => alert.riskScore },
  { header: "status", value: (alert) => alert.status },
  { header: "closingReason", value: (alert) => alert.closingReason },
  { header: "ruleId", value: (alert) => alert.ruleId },
  { header: "ruleName", value: (alert) => alert.ruleName },
  { header: "assignee", value: (alert) => alert.assignee?.displayName ?? null },
  { header: "containerId", value: (alert) => alert.containerId },
  { header: "containerName", value: (alert) => alert.containerName },
  { header: "imageName", value: (alert) => alert.imageName },
  { header: "hostName", value: (alert) => alert.hostName },
  { header: "userName", value: (alert) => alert.userName },
  { header: "processName", value: (alert) => alert.processName },
  { header: "processExecutable", value: (alert) => alert.processExecutable },
  { header: "commandLine", value: (alert) => alert.commandLine },
  { header: "acknowledgedAt", value: (alert) => alert.acknowledgedAt },
  { header: "closedAt", value: (alert) => alert.closedAt },
];

/** The export's bytes, read from the database page by page as the client takes them. */
export function alertExportStream(query: AlertExportQuery): ReadableStream<Uint8Array> {
  const { format, ...listQuery } = query;
  return exportStream(alertPages(listQuery), format, { columns: ALERT_EXPORT_COLUMNS });
}
