import { appendAudit } from "../db/audit";
import {
  findUserByUsername,
  lockWhenAttemptsUsedUp,
  recordSuccessfulLogin,
  reserveLoginAttempt,
  type UserRecord,
} from "../db/users";
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

/** The answer to an attempt on a locked account, recorded in the audit log. */
async function refuseLocked(user: UserRecord, lockedUntil: Date | null, ip: string | null): Promise<LoginOutcome> {
  await appendAudit({ actorId: user.id, actorLabel: user.username, action: "login.locked", ip });
  // A lock that ended in the same instant: ask for a new attempt at once rather than claim a lock that is gone.
  const retryAfterSeconds = lockedUntil ? Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000)) : 1;
  return { ok: false, reason: "locked", retryAfterSeconds };
}

/**
 * Checks a username and password, counting failures and locking the account after too many. The attempt is
 * counted before the password is checked (lib/db/users.ts), so a burst of attempts, on one instance or several,
 * gets no more than MAX_FAILED_LOGINS passwords checked per lock.
 */
export async function checkLogin(username: string, password: string, ip: string | null): Promise<LoginOutcome> {
  const user = await findUserByUsername(username);
  if (!user) {
    await verifyPassword(password, DUMMY_HASH);
    await appendAudit({ actorLabel: username, action: "login.failed", details: { reason: "unknown user" }, ip });
    return { ok: false, reason: "invalid" };
  }
  if (!(await reserveLoginAttempt(user.id, MAX_FAILED_LOGINS, new Date()))) {
    return refuseLocked(user, await lockWhenAttemptsUsedUp(user.id, MAX_FAILED_LOGINS, LOCKOUT_MS, new Date()), ip);
  }
  const passwordOk = await verifyPassword(password, user.passwordHash);
  if (!passwordOk || user.disabled) {
    await appendAudit({
      actorId: user.id,
      actorLabel: username,
      action: "login.failed",
      details: { reason: user.disabled ? "account disabled" : "wrong password" },
      ip,
    });
    const lockedUntil = await lockWhenAttemptsUsedUp(user.id, MAX_FAILED_LOGINS, LOCKOUT_MS, new Date());
    if (lockedUntil) {
      return { ok: false, reason: "locked", retryAfterSeconds: Math.ceil((lockedUntil.getTime() - Date.now()) / 1000) };
    }
    return { ok: false, reason: "invalid" };
  }
  if (!(await recordSuccessfulLogin(user.id, new Date()))) {
    // The right password, but attempts running beside this one used up the account's slots and locked it.
    const current = await findUserByUsername(username);
    return refuseLocked(user, current?.lockedUntil ?? null, ip);
  }
  await appendAudit({ actorId: user.id, actorLabel: username, action: "login", ip });
  return { ok: true, userId: user.id };
}
