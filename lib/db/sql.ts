/**
 * Helpers for the few raw statements lib/db needs. They are written in the
 * SQL that SQLite and PostgreSQL share (multi-row VALUES, ON CONFLICT DO
 * NOTHING, RETURNING) so the move to PostgreSQL is a driver change.
 */

/** SQLite allows 32,766 bound parameters per statement; stay well below. */
export const MAX_PARAMETERS = 30_000;

export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMETERS / columns));
}

export function placeholders(rows: number, columns: number): string {
  const row = `(${new Array(columns).fill("?").join(", ")})`;
  return new Array(rows).fill(row).join(", ");
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
