import Database from "better-sqlite3";
import { databaseFile, databaseUrl } from "../../config";
import { databaseMode } from "../../read-only";
import { dialectName } from "../name";

/**
 * The two reads every sensor push makes, before and while its group is
 * stored: the API token behind its bearer token (guard.ts, on every request)
 * and the detection counter (detection-context.ts, once a group). Through
 * Prisma each cost more CPU than GET /api/health does in all (its query
 * plan, the adapter's statement preparation per query, the transaction gate):
 * in a CPU profile of `next start` serving 1-event pushes, Prisma was about a
 * seventh of the server's busy time. Here they are two statements prepared
 * once, on a read connection of their own.
 *
 * Still read from the database on every call, never cached: a revoked token
 * is refused by the next request, and a rule change applies to the next
 * group. In WAL mode a reader sees the latest commit and takes no lock the
 * writer waits for. Anything unusual (another dialect, a database start-up
 * found read-only, a busy or failing read) answers `undefined`, and the
 * caller goes through Prisma as before.
 */

/** What the ApiToken row holds for a bearer token (the hash never leaves the database). */
export interface ApiTokenRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface RawTokenRow {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string | number;
  expiresAt: string | number | null;
  lastUsedAt: string | number | null;
  revokedAt: string | number | null;
}

interface Reads {
  file: string;
  db: Database.Database;
  tokenByHash: Database.Statement<[string], RawTokenRow>;
  setting: Database.Statement<[string], { value: string }>;
}

/**
 * A few pages are all these reads touch; SQLite's default cache here (16 MB,
 * better-sqlite3's build) would only add to the server's resident memory.
 */
const CACHE_KIB = 256;

const globalForReads = globalThis as unknown as { keelwatchHotReads?: Reads | null };

function reads(): Reads | null {
  const url = databaseUrl();
  if (dialectName(url) !== "sqlite") return null;
  const mode = databaseMode();
  if (mode && !mode.writable) return null;
  const file = databaseFile(url);
  const current = globalForReads.keelwatchHotReads;
  // Like Prisma's connection and the writer's, it stays on the file it opened: whoever deletes or replaces the
  // database closes them first (closeBatchWriter closes this one too). Checking the file on every read cost a stat call.
  if (current && current.file === file) return current;
  current?.db.close();
  globalForReads.keelwatchHotReads = null;
  const db = new Database(file, { fileMustExist: true });
  try {
    // Never wait synchronously for a lock (that would stop the server): a busy read goes through Prisma instead.
    db.pragma("busy_timeout = 0");
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma("query_only = ON");
    globalForReads.keelwatchHotReads = {
      file,
      db,
      tokenByHash: db.prepare(
        'SELECT "id", "name", "role", "prefix", "createdAt", "expiresAt", "lastUsedAt", "revokedAt" FROM "ApiToken" WHERE "tokenHash" = ?',
      ),
      setting: db.prepare('SELECT "value" FROM "AppSetting" WHERE "key" = ?'),
    };
  } catch (error) {
    db.close();
    throw error;
  }
  return globalForReads.keelwatchHotReads;
}

/** Runs `read` on the hot connection; undefined when there is none or the read failed (the caller asks Prisma). */
function attempt<T>(read: (reads: Reads) => T): T | undefined {
  try {
    const current = reads();
    return current ? read(current) : undefined;
  } catch {
    // Busy, a missing file or table (a database being set up): Prisma's path knows how to wait and what to say.
    return undefined;
  }
}

/** A DateTime column as Prisma's better-sqlite3 adapter stores it (ISO-8601 text, or epoch milliseconds). */
function date(value: string | number | null): Date | null {
  return value === null ? null : new Date(value);
}

/** The token row for `tokenHash`; null when there is none; undefined when this path cannot answer. */
export function hotApiTokenByHash(tokenHash: string): ApiTokenRow | null | undefined {
  return attempt((current) => {
    const row = current.tokenByHash.get(tokenHash);
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      prefix: row.prefix,
      createdAt: date(row.createdAt) as Date,
      expiresAt: date(row.expiresAt),
      lastUsedAt: date(row.lastUsedAt),
      revokedAt: date(row.revokedAt),
    };
  });
}

/** An AppSetting's value; null when the row is missing; undefined when this path cannot answer. */
export function hotSetting(key: string): string | null | undefined {
  return attempt((current) => current.setting.get(key)?.value ?? null);
}

/** Closes the connection (tests, before their database file is deleted). */
export function closeHotReads(): void {
  globalForReads.keelwatchHotReads?.db.close();
  globalForReads.keelwatchHotReads = undefined;
}
