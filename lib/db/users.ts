import type { UserRole } from "../auth/roles";
import { prisma } from "./client";

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

/** Counts a failed sign-in; locks the account once `maxFailures` is reached. */
export async function recordFailedLogin(id: string, maxFailures: number, lockForMs: number): Promise<UserRecord> {
  const user = await prisma().user.update({ where: { id }, data: { failedLogins: { increment: 1 } } });
  if (user.failedLogins < maxFailures) return user as UserRecord;
  return (await prisma().user.update({
    where: { id },
    data: { failedLogins: 0, lockedUntil: new Date(Date.now() + lockForMs) },
  })) as UserRecord;
}

export async function recordSuccessfulLogin(id: string): Promise<void> {
  await prisma().user.update({ where: { id }, data: { failedLogins: 0, lockedUntil: null } });
}
