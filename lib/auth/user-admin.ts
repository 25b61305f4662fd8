import { appendAudit } from "../db/audit";
import { revokeOtherSessionsOfUser, revokeSessionsOfUser } from "../db/sessions";
import {
  createUser,
  findUserById,
  findUserByUsername,
  findUserSummary,
  listUsers,
  type UserChange,
  type UserSummary,
  updatePasswordHash,
  updateUserUnlessLastAdmin,
} from "../db/users";
import { type Actor, type Outcome, refuse } from "./admin-outcome";
import { hashPassword, verifyPassword } from "./passwords";
import { principalLabel } from "./principal";
import type { UserRole } from "./roles";

/**
 * Account administration: the rules (last admin, who gets signed out) and the
 * audit trail live here so every caller (API route, CLI) applies the same ones.
 */

// Higher is more power; a change to a lower rank is a demotion and ends sessions.
const RANK: Record<UserRole, number> = { viewer: 0, analyst: 1, admin: 2 };

export type { UserSummary };
export { listUsers };

function audit(actor: Actor, action: string, targetId: string, details: Record<string, unknown>) {
  return appendAudit({
    actorId: actor.principal.kind === "user" ? actor.principal.id : null,
    actorLabel: principalLabel(actor.principal),
    action,
    targetType: "user",
    targetId,
    details,
    ip: actor.ip,
  });
}

export async function createUserAccount(
  actor: Actor,
  input: { username: string; displayName: string; role: UserRole; password: string },
): Promise<Outcome<UserSummary>> {
  const taken = refuse(409, "username_taken", `The username "${input.username}" is already in use.`, [
    { field: "username", message: "Already in use" },
  ]);
  if (await findUserByUsername(input.username)) return taken;
  let created: Awaited<ReturnType<typeof createUser>>;
  try {
    created = await createUser({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
  } catch (error) {
    // Two admins creating the same name at once: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return taken;
    throw error;
  }
  await audit(actor, "user.create", created.id, { username: created.username, role: created.role });
  const summary = await findUserSummary(created.id);
  if (!summary) throw new Error(`createUserAccount: user ${created.id} vanished right after it was created`);
  return { ok: true, value: summary };
}

export interface UserPatch {
  role?: UserRole;
  disabled?: boolean;
  displayName?: string;
  /** A new password set by an admin (reset); the user's sessions end. */
  password?: string;
}

export async function updateUserAccount(
  actor: Actor,
  id: string,
  patch: UserPatch,
): Promise<Outcome<{ user: UserSummary; sessionsRevoked: number }>> {
  // Disabling yourself would end the session you are using mid-change; another admin must do it.
  if (patch.disabled === true && actor.principal.kind === "user" && actor.principal.id === id) {
    return refuse(409, "self_disable", "You cannot disable your own account; ask another admin to do it.");
  }
  const change: UserChange = {};
  if (patch.role !== undefined) change.role = patch.role;
  if (patch.disabled !== undefined) change.disabled = patch.disabled;
  if (patch.displayName !== undefined) change.displayName = patch.displayName;
  if (patch.password !== undefined) change.passwordHash = await hashPassword(patch.password);

  const outcome = await updateUserUnlessLastAdmin(id, change);
  if (!outcome.ok) {
    return outcome.reason === "not_found"
      ? refuse(404, "not_found", `No user with id "${id}".`)
      : refuse(
          409,
          "last_admin",
          "This is the last active admin: make another user an admin before disabling or demoting this one.",
        );
  }
  const { before, after } = outcome;
  const changes: Record<string, unknown> = {};
  if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
  if (before.disabled !== after.disabled) changes.disabled = { from: before.disabled, to: after.disabled };
  if (before.displayName !== after.displayName) {
    changes.displayName = { from: before.displayName, to: after.displayName };
  }
  if (patch.password !== undefined) changes.password = "reset";

  const demoted = RANK[after.role] < RANK[before.role];
  const disabled = after.disabled && !before.disabled;
  let sessionsRevoked = 0;
  if (demoted || disabled || patch.password !== undefined) {
    // An admin changing their own account keeps the session they are using.
    const self = actor.principal.kind === "user" && actor.principal.id === id;
    sessionsRevoked =
      self && !disabled ? await revokeOtherSessionsOfUser(id, actor.sessionIdHash) : await revokeSessionsOfUser(id);
  }
  await audit(actor, "user.update", id, { username: after.username, changes, sessionsRevoked });
  return { ok: true, value: { user: after, sessionsRevoked } };
}

/** A signed-in person changes their own password; every other session of theirs ends. */
export async function changeOwnPassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<Outcome<{ sessionsRevoked: number }>> {
  if (actor.principal.kind !== "user") {
    return refuse(403, "forbidden", "API tokens have no password; sign in to change yours.");
  }
  const user = await findUserById(actor.principal.id);
  if (!user) return refuse(404, "not_found", "Your account no longer exists.");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await audit(actor, "account.password_change_failed", user.id, { reason: "wrong current password" });
    return refuse(400, "wrong_password", "The current password is wrong.", [
      { field: "currentPassword", message: "Does not match your current password" },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    return refuse(400, "invalid_request", "The new password must differ from the current one.", [
      { field: "newPassword", message: "Must differ from the current password" },
    ]);
  }
  await updatePasswordHash(user.id, await hashPassword(input.newPassword));
  const sessionsRevoked = await revokeOtherSessionsOfUser(user.id, actor.sessionIdHash);
  await audit(actor, "account.password_change", user.id, { sessionsRevoked });
  return { ok: true, value: { sessionsRevoked } };
}
