/**
 * Runs once when the Next.js server starts: bring the database schema up to
 * date, load the built-in rules and make sure someone can sign in, before
 * the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabase } = await import("./lib/db/prepare");
  await prepareDatabase();
  const { installBuiltinRules } = await import("./lib/app/builtin-rules");
  await installBuiltinRules();
  const { announceFirstAdmin } = await import("./lib/auth/announce-first-admin");
  await announceFirstAdmin();
}
