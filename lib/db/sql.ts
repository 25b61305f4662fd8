/**
 * Helpers for the few statements lib/db writes by hand. Their SQL is the kind
 * SQLite and PostgreSQL share (ON CONFLICT DO NOTHING, RETURNING); the batch
 * writer's connection is the one SQLite-only part.
 */

/** SQLite allows 32,766 bound parameters per statement; stay well below. */
export const MAX_PARAMETERS = 30_000;

export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMETERS / columns));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
