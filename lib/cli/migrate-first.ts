import { databaseFile, databaseUrl } from "../db/config";
import { dialect } from "../db/dialect";
import { applyMigrations } from "../db/migrate";
import type { CliIO } from "./io";

/**
 * What the commands that use the database do first: bring it up to date, a SQLite file (resolved against the
 * command's working directory) or a PostgreSQL database, by DATABASE_URL.
 */
export async function migrateFirst(io: CliIO): Promise<void> {
  const url = databaseUrl(io.env);
  if (dialect(url).name === "postgresql") await dialect(url).applyMigrations(url);
  else applyMigrations(databaseFile(url, io.cwd));
}
