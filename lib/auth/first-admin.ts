import { appendAudit } from "../db/audit";
import { countUsers, createUser } from "../db/users";
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from "./passwords";

export const FIRST_ADMIN_USERNAME = "admin";

/**
 * On a database with no users, creates the first admin account. The password
 * comes from KEELWATCH_ADMIN_PASSWORD or is generated and returned so the
 * caller can print it once. Returns null when users already exist.
 */
export async function ensureFirstAdmin(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ username: string; password: string | null } | null> {
  if ((await countUsers()) > 0) return null;
  const fromEnv = env.KEELWATCH_ADMIN_PASSWORD;
  if (fromEnv !== undefined && fromEnv.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`KEELWATCH_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  const password = fromEnv ?? generatePassword();
  try {
    await createUser({
      username: FIRST_ADMIN_USERNAME,
      displayName: "Administrator",
      role: "admin",
      passwordHash: await hashPassword(password),
    });
  } catch (error) {
    // Another process starting at the same moment created it first.
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
  await appendAudit({
    actorLabel: "system",
    action: "user.create",
    targetType: "user",
    targetId: FIRST_ADMIN_USERNAME,
  });
  return { username: FIRST_ADMIN_USERNAME, password: fromEnv ? null : password };
}
