import type { UserRole } from "../auth/roles";
import { prisma } from "./client";
import { retryingTransaction } from "./transactions";

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  passwordHash: string;
}

export function countUsers(): Promise<number> {
  return prisma().user.count();
}

export async function findUserByUsername(username: string): Promise<UserRecord | null> {
  return (await prisma().user.findUnique({ where: { username } })) as UserRecord | null;
}

export async function findUserById(id: string): Promise<UserRecord | null> {
  return (await prisma().user.findUnique({ where: { id } })) as UserRecord | null;
}

export async function createUser(input: {
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
}): Promise<UserRecord> {
  return (await prisma().user.create({ data: input })) as UserRecord;
}

/**
 * Sign-in bookkeeping. An attempt takes one of the account's `maxFailures` slots before its password is checked,
 * in one conditional UPDATE, so however many attempts arrive at once, on however many instances, at most
 * `maxFailures` passwords are checked before the account locks (checking first and counting after let every
 * attempt of a burst through while the first scrypt ran). Success gives the slots back; failure keeps its slot.
 */
const unlockedAt = (now: Date) => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] });

/** Takes one sign-in slot of an unlocked account; false when it is locked or all its slots are taken. */
export async function reserveLoginAttempt(id: string, maxFailures: number, now: Date): Promise<boolean> {
  const { count } = await prisma().user.updateMany({
    where: { id, failedLogins: { lt: maxFailures }, ...unlockedAt(now) },
    data: { failedLogins: { increment: 1 } },
  });
  return count === 1;
}

/**
 * Locks the account for `lockForMs` once its slots are used up, and clears them for the time after the lock.
 * Also called when a reservation is refused, so slots left taken by a process that died mid-attempt become an
 * ordinary lock that ends, rather than an account nobody can sign in to. Returns the account's lock end, if any.
 */
export async function lockWhenAttemptsUsedUp(
  id: string,
  maxFailures: number,
  lockForMs: number,
  now: Date,
): Promise<Date | null> {
  await prisma().user.updateMany({
    where: { id, failedLogins: { gte: maxFailures }, ...unlockedAt(now) },
    data: { failedLogins: 0, lockedUntil: new Date(now.getTime() + lockForMs) },
  });
  const user = await prisma().user.findUnique({ where: { id }, select: { lockedUntil: true } });
  return user?.lockedUntil && user.lockedUntil > now ? user.lockedUntil : null;
}

/** Clears the account's slots after a right password; false when another attempt locked it meanwhile. */
export async function recordSuccessfulLogin(id: string, now: Date): Promise<boolean> {
  const { count } = await prisma().user.updateMany({
    where: { id, ...unlockedAt(now) },
    data: { failedLogins: 0, lockedUntil: null },
  });
  return count === 1;
}

/** What the settings page shows about an account: never the password hash or failure counters. */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  disabled: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const SUMMARY_FIELDS = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  disabled: true,
  lockedUntil: true,
  createdAt: true,
  updatedAt: true,
} as const;

export async function listUsers(): Promise<UserSummary[]> {
  return (await prisma().user.findMany({ select: SUMMARY_FIELDS, orderBy: { username: "asc" } })) as UserSummary[];
}

export type UserChange = Partial<{
  role: UserRole;
  disabled: boolean;
  displayName: string;
  passwordHash: string;
}>;

export type UserChangeOutcome =
  | { ok: true; before: UserSummary; after: UserSummary }
  | { ok: false; reason: "not_found" | "last_admin" };

/**
 * Applies a change to one account, refusing it when it would leave no enabled
 * admin. The count and the write share one transaction so two admins demoting
 * each other at the same moment cannot both succeed. A new password or
 * re-enabling also clears a sign-in lockout, since an admin vouched for it.
 */
export async function updateUserUnlessLastAdmin(id: string, change: UserChange): Promise<UserChangeOutcome> {
  return retryingTransaction(async (tx) => {
    const before = (await tx.user.findUnique({ where: { id }, select: SUMMARY_FIELDS })) as UserSummary | null;
    if (!before) return { ok: false, reason: "not_found" } as const;
    const wasActiveAdmin = before.role === "admin" && !before.disabled;
    const staysActiveAdmin = (change.role ?? before.role) === "admin" && !(change.disabled ?? before.disabled);
    if (wasActiveAdmin && !staysActiveAdmin) {
      const otherAdmins = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: id } } });
      if (otherAdmins === 0) return { ok: false, reason: "last_admin" } as const;
    }
    const unlock = change.passwordHash !== undefined || (before.disabled && change.disabled === false);
    const after = (await tx.user.update({
      where: { id },
      data: { ...change, ...(unlock ? { failedLogins: 0, lockedUntil: null } : {}) },
      select: SUMMARY_FIELDS,
    })) as UserSummary;
    return { ok: true, before, after } as const;
  });
}

export async function updatePasswordHash(id: string, passwordHash: string): Promise<void> {
  await prisma().user.update({ where: { id }, data: { passwordHash } });
}

export async function findUserSummary(id: string): Promise<UserSummary | null> {
  return (await prisma().user.findUnique({ where: { id }, select: SUMMARY_FIELDS })) as UserSummary | null;
}
