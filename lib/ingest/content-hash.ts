import { hash } from "node:crypto";

/**
 * The identity of an event: sha256 of its JSON as the format adapter produced
 * it (JSON.stringify of the parsed event, or the line itself when it is
 * already exactly that: lib/events/canonical-json.ts). Whitespace, escapes and number
 * spelling in the file do not matter (`1.0` and `1`, `"\u0041"` and `"A"` are
 * the same event); the order of keys does. Sending a file again, plain or
 * gzipped, NDJSON or the same events as a JSON array, finds every event stored.
 *
 * Key order counts because making it not count (sorting every object's keys
 * before hashing) cost 45% of the time to ingest an event, for a case no
 * producer we read creates: each writes an event's keys in a fixed order, and
 * the Falco, Tetragon and Datadog adapters build ECS in their own fixed order.
 */
export function contentHash(eventJson: string): string {
  // The one-shot form: for a 2.5 KB event, 3.5 µs against 4.6 µs for createHash().update().digest().
  return hash("sha256", eventJson, "hex");
}
