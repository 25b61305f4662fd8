import type { TimelineEvent } from "@/lib/db/timeline";
import { ecsValue } from "@/lib/detection/ecs-fields";
import type { ExportColumn } from "./stream";

/** An alert's timeline as CSV: the event's id and time, then the fields an analyst reads first. NDJSON writes each document. */
const field = (path: string): ExportColumn<TimelineEvent> => ({
  header: path,
  value: (event) => ecsValue(event.document, path) ?? null,
});

export const TIMELINE_EXPORT_COLUMNS: readonly ExportColumn<TimelineEvent>[] = [
  { header: "event_id", value: (event) => event.id },
  { header: "@timestamp", value: (event) => event.timestamp },
  field("event.category"),
  field("event.type"),
  field("event.action"),
  field("container.id"),
  field("host.name"),
  field("user.name"),
  field("process.name"),
  field("process.executable"),
  field("process.command_line"),
  field("process.entity_id"),
  field("process.parent.entity_id"),
  field("destination.ip"),
  field("destination.port"),
  field("file.path"),
];
