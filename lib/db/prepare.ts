import { databaseFile, databaseUrl } from "./config";
import { applyMigrations } from "./migrate";

/** Applies pending migrations to the configured database; logs what it did. */
export function prepareDatabase(env: NodeJS.ProcessEnv = process.env): void {
  const file = databaseFile(databaseUrl(env));
  const applied = applyMigrations(file);
  if (applied.length > 0) console.log(`keelwatch: applied ${applied.length} migration(s) to ${file}`);
}
