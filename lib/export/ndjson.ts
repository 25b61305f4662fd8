/**
 * NDJSON: one JSON document per line, LF-terminated. JSON.stringify escapes
 * the newlines inside strings, so a record never spans two lines.
 */
export function ndjsonRecord(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
