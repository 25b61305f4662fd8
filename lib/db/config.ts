import fs from "node:fs";
import path from "node:path";

/** Where the SQLite database lives unless DATABASE_URL says otherwise. */
export const DEFAULT_DATABASE_URL = "file:./data/keelwatch.db";

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

/**
 * The file behind a `file:` URL, resolved against the working directory as
 * Prisma does. Query parameters (`file:x.db?connection_limit=1`) are ignored.
 */
export function databaseFile(url: string = databaseUrl(), cwd: string = process.cwd()): string {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite "file:" URL, got "${url}"`);
  }
  const withoutScheme = url.slice("file:".length).split("?")[0] ?? "";
  if (withoutScheme === "") throw new Error(`DATABASE_URL "${url}" names no file`);
  return path.resolve(cwd, withoutScheme);
}

/** Creates the database's folder so a fresh clone can start without a `data/` directory. */
export function ensureDatabaseDirectory(file: string): void {
  fs.mkdirSync(/*turbopackIgnore: true*/ path.dirname(file), { recursive: true });
}
