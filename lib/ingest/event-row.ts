import type { EventRow } from "../db/events";
import { ecsText, ecsValue } from "../detection/ecs-fields";

type Json = Record<string, unknown>;

/** Multi-valued ECS fields (event.category is usually an array) become one comma-separated column. */
function joined(event: Json, path: string): string | null {
  const value = ecsValue(event, path);
  if (Array.isArray(value)) {
    const parts = value.filter((item) => typeof item === "string" && item !== "");
    return parts.length > 0 ? parts.join(",") : null;
  }
  return ecsText(event, path);
}

/** Reads `@timestamp` (ISO-8601 or epoch milliseconds); null when absent or not a date. */
export function eventTime(event: Json): Date | null {
  const value = event["@timestamp"];
  if (typeof value !== "string" && typeof value !== "number") return null;
  const date = typeof value === "number" || /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The stored document: the event as enrichment left it. Enrichment only sets
 * the top-level `keelwatch` key, and JSON.stringify writes a key added last at
 * the end, so an event that had no such key is its original text with that
 * key appended; the whole event is not serialised a second time. An event
 * that came with its own `keelwatch` key is serialised again.
 */
export function enrichedDocument(original: string, event: Json, hadKeelwatch: boolean): string {
  if (hadKeelwatch) return JSON.stringify(event);
  const added = event.keelwatch === undefined ? undefined : JSON.stringify(event.keelwatch);
  if (added === undefined) return original;
  return `${original.slice(0, -1)}${original === "{}" ? "" : ","}"keelwatch":${added}}`;
}

export function toEventRow(event: Json, line: number, hash: string, timestamp: Date, document: string): EventRow {
  return {
    line,
    contentHash: hash,
    timestamp,
    category: joined(event, "event.category"),
    type: joined(event, "event.type"),
    action: joined(event, "event.action"),
    containerId: ecsText(event, "container.id"),
    hostName: ecsText(event, "host.name"),
    entityId: ecsText(event, "process.entity_id"),
    parentEntityId: ecsText(event, "process.parent.entity_id"),
    processName: ecsText(event, "process.name"),
    processExecutable: ecsText(event, "process.executable"),
    document,
  };
}
