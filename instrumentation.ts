/**
 * Runs once when the Next.js server starts: bring the database schema up to
 * date, load the built-in rules and make sure someone can sign in, before
 * the first request. A read-only database skips all of that and serves reads.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabase } = await import("./lib/db/prepare");
  const { writable } = await prepareDatabase();
  // A read-only database is served as it is: no rule sync, no first admin (prepareDatabase said why once).
  if (!writable) return;
  const { installBuiltinRules } = await import("./lib/app/builtin-rules");
  await installBuiltinRules();
  const { announceFirstAdmin } = await import("./lib/auth/announce-first-admin");
  await announceFirstAdmin();
  // Notifications go out from the background: new alerts queued in the outbox, retries, digests.
  const { ensureNotificationSender } = await import("./lib/notify/sender");
  ensureNotificationSender();
  // The event store's upkeep: events stored before blocks move into blocks, and retention expires old blocks.
  const { startEventUpkeep } = await import("./lib/db/events/upkeep");
  startEventUpkeep();
  // Uploads whose instance died mid-way (this one before a restart, or another on a shared database) are marked
  // interrupted once their lease lapses; live instances' uploads are left alone.
  const { startInterruptedUploadSweep } = await import("./lib/db/upload-leases");
  startInterruptedUploadSweep();
}
