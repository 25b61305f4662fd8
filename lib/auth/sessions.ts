import { createSession, extendSession, findSession, revokeSession } from "../db/sessions";
import { bestEffortWrite } from "./bookkeeping";
import type { Principal } from "./principal";
import { RoleSchema } from "./roles";
import { hashSecret, newSecret } from "./secrets";

export const SESSION_COOKIE = "keelwatch_session";
/** A session lives 12 hours past its last use; refreshed at most every 5 minutes to spare the database. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const REFRESH_AFTER_MS = 5 * 60 * 1000;

export async function startSession(
  userId: string,
  context: { userAgent?: string | null; ip?: string | null },
): Promise<{ cookieValue: string; expiresAt: Date }> {
  const cookieValue = newSecret("");
  const expiresAt = new Date(Date.now() + SESSION_IDLE_MS);
  await createSession({ idHash: hashSecret(cookieValue), userId, expiresAt, ...context });
  return { cookieValue, expiresAt };
}

/** The person behind a session cookie, or null when it is unknown, expired, revoked or the account is disabled. */
export async function principalFromSession(cookieValue: string | undefined): Promise<Principal | null> {
  if (!cookieValue) return null;
  const idHash = hashSecret(cookieValue);
  const session = await findSession(idHash);
  const now = Date.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now || session.user.disabled) return null;
  const role = RoleSchema.safeParse(session.user.role);
  if (!role.success || role.data === "ingest") return null;
  if (now - session.lastSeenAt.getTime() > REFRESH_AFTER_MS) {
    // If the database refuses, the session keeps its old expiry and the next request tries again.
    await bestEffortWrite("a session's last use", () => extendSession(idHash, new Date(now + SESSION_IDLE_MS)));
  }
  return {
    kind: "user",
    id: session.user.id,
    username: session.user.username,
    displayName: session.user.displayName,
    role: role.data,
  };
}

export async function endSession(cookieValue: string | undefined): Promise<void> {
  if (cookieValue) await revokeSession(hashSecret(cookieValue));
}
