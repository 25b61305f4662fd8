import { appendAudit } from "../db/audit";
import { findUserByUsername, recordFailedLogin, recordSuccessfulLogin } from "../db/users";
import { verifyPassword } from "./passwords";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export type LoginOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

// Verifying against a real hash even for unknown users keeps response times
// from revealing which usernames exist.
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Checks a username and password, counting failures and locking the account after too many. */
export async function checkLogin(username: string, password: string, ip: string | null): Promise<LoginOutcome> {
  const user = await findUserByUsername(username);
  if (!user) {
    await verifyPassword(password, DUMMY_HASH);
    await appendAudit({ actorLabel: username, action: "login.failed", details: { reason: "unknown user" }, ip });
    return { ok: false, reason: "invalid" };
  }
  const now = Date.now();
  if (user.lockedUntil && user.lockedUntil.getTime() > now) {
    await appendAudit({ actorId: user.id, actorLabel: username, action: "login.locked", ip });
    return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil((user.lockedUntil.getTime() - now) / 1000) };
  }
  const passwordOk = await verifyPassword(password, user.passwordHash);
  if (!passwordOk || user.disabled) {
    const updated = await recordFailedLogin(user.id, MAX_FAILED_LOGINS, LOCKOUT_MS);
    await appendAudit({
      actorId: user.id,
      actorLabel: username,
      action: "login.failed",
      details: { reason: user.disabled ? "account disabled" : "wrong password" },
      ip,
    });
    if (updated.lockedUntil && updated.lockedUntil.getTime() > now) {
      return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil(LOCKOUT_MS / 1000) };
    }
    return { ok: false, reason: "invalid" };
  }
  await recordSuccessfulLogin(user.id);
  await appendAudit({ actorId: user.id, actorLabel: username, action: "login", ip });
  return { ok: true, userId: user.id };
}
