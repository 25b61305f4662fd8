import { ensureFirstAdmin } from "./first-admin";

/** Creates the first admin on an empty database and prints a generated password once. */
export async function announceFirstAdmin(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const created = await ensureFirstAdmin(env);
  if (!created) return;
  if (created.password === null) {
    console.log(`keelwatch: created the admin account "${created.username}" with KEELWATCH_ADMIN_PASSWORD`);
    return;
  }
  const rule = "=".repeat(72);
  console.log(
    [
      rule,
      "  Keelwatch created the first admin account. This password is shown only once:",
      `    username: ${created.username}`,
      `    password: ${created.password}`,
      "  Sign in and keep it somewhere safe (or set KEELWATCH_ADMIN_PASSWORD before the first start).",
      rule,
    ].join("\n"),
  );
}
