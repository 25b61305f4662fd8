import { databaseFile, databaseUrl } from "./config";
import { applyMigrations } from "./migrate";
import { failInterruptedUploads } from "./uploads";

/**
 * Server start-up: apply pending migrations, then mark uploads that a crash
 * or restart cut off as failed (they can be uploaded again without duplicates).
 */
export async function prepareDatabase(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = databaseFile(databaseUrl(env));
  const applied = applyMigrations(file);
  if (applied.length > 0) console.log(`keelwatch: applied ${applied.length} migration(s) to ${file}`);
  const interrupted = await failInterruptedUploads();
  if (interrupted > 0) console.log(`keelwatch: marked ${interrupted} interrupted upload(s) as failed`);
}
