/**
 * Runs once when the Next.js server starts: bring the database schema up to
 * date before the first request, so a server never serves an old schema.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabase } = await import("./lib/db/prepare");
  prepareDatabase();
}
