import type { z } from "zod";
import { ecsValue } from "@/lib/detection/ecs-fields";
import { type ExportColumn, ExportFormatSchema, exportStream } from "@/lib/export";
import { type HuntScope, HuntScopeSchema } from "./request";
import { type HuntRow, huntResults } from "./run";

/**
 * A hunt's results as a download. NDJSON writes each result as `keelwatch eql`
 * prints it: the event for event queries, {"sequence"|"sample": [...],
 * "join_keys"} for the others. CSV writes one row per event, numbered by
 * result, with the fields an analyst reads first. A hunt stopped by a limit
 * ends the download in error, so a cut export never looks complete.
 */

export const HuntExportQuerySchema = HuntScopeSchema.extend({ format: ExportFormatSchema });
export type HuntExportQuery = z.output<typeof HuntExportQuerySchema>;

/** One CSV row: an event of a result. */
export interface HuntExportLine {
  result: number;
  kind: HuntRow["kind"];
  joinKeys: unknown[] | undefined;
  id: number | null;
  event: Record<string, unknown> | null;
}

const field = (path: string): ExportColumn<HuntExportLine> => ({
  header: path,
  value: (line) => (line.event ? (ecsValue(line.event, path) ?? null) : null),
});

export const HUNT_EXPORT_COLUMNS: readonly ExportColumn<HuntExportLine>[] = [
  { header: "result", value: (line) => line.result },
  { header: "kind", value: (line) => line.kind },
  { header: "join_keys", value: (line) => line.joinKeys ?? null },
  { header: "event_id", value: (line) => line.id },
  field("@timestamp"),
  field("event.category"),
  field("event.action"),
  field("container.id"),
  field("host.name"),
  field("user.name"),
  field("process.name"),
  field("process.executable"),
  field("process.command_line"),
  field("process.entity_id"),
];

/** What NDJSON writes for one result, as `keelwatch eql` prints it. */
export function huntResultDocument(row: HuntRow): unknown {
  const events = row.events.map((entry) => entry.event);
  if (row.kind === "event") return events[0];
  return { [row.kind]: events, join_keys: row.joinKeys ?? [] };
}

export class HuntStoppedError extends Error {
  readonly code = "hunt_stopped";
}

/** The hunt's results as pages of records: CSV lines (one per event) or NDJSON documents (one per result). */
async function* exportPages(
  scope: HuntScope,
  range: { from: Date; to: Date },
  format: "csv" | "ndjson",
  signal?: AbortSignal,
): AsyncGenerator<(HuntExportLine | { document: unknown })[]> {
  const results = huntResults(scope, { range, ...(signal ? { signal } : {}) });
  let number = 0;
  let next = await results.next();
  while (!next.done) {
    const page: (HuntExportLine | { document: unknown })[] = [];
    for (const row of next.value) {
      number++;
      if (format === "ndjson") page.push({ document: huntResultDocument(row) });
      else
        for (const entry of row.events) {
          page.push({ result: number, kind: row.kind, joinKeys: row.joinKeys, id: entry.id, event: entry.event });
        }
    }
    yield page;
    next = await results.next();
  }
  const { stopped } = next.value;
  if (stopped && stopped.reason !== "cancelled") throw new HuntStoppedError(stopped.message);
}

export function huntExportStream(
  scope: HuntScope,
  range: { from: Date; to: Date },
  format: "csv" | "ndjson",
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  return exportStream(exportPages(scope, range, format, signal), format, {
    columns: HUNT_EXPORT_COLUMNS as readonly ExportColumn<HuntExportLine | { document: unknown }>[],
    document: (record) => ("document" in record ? record.document : record),
  });
}
