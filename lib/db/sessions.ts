import { prisma } from "./client";

export interface SessionWithUser {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
  user: { id: string; username: string; displayName: string; role: string; disabled: boolean };
}

export async function createSession(input: {
  idHash: string;
  userId: string;
  expiresAt: Date;
  userAgent?: string | null;
  ip?: string | null;
}): Promise<void> {
  await prisma().session.create({
    data: {
      id: input.idHash,
      userId: input.userId,
      expiresAt: input.expiresAt,
      userAgent: input.userAgent ?? null,
      ip: input.ip ?? null,
    },
  });
}

export async function findSession(idHash: string): Promise<SessionWithUser | null> {
  return prisma().session.findUnique({
    where: { id: idHash },
    select: {
      id: true,
      expiresAt: true,
      lastSeenAt: true,
      revokedAt: true,
      user: { select: { id: true, username: true, displayName: true, role: true, disabled: true } },
    },
  });
}

export async function extendSession(idHash: string, expiresAt: Date): Promise<void> {
  await prisma().session.update({ where: { id: idHash }, data: { expiresAt, lastSeenAt: new Date() } });
}

export async function revokeSession(idHash: string): Promise<void> {
  await prisma().session.updateMany({ where: { id: idHash, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Signs a person out everywhere (password change, account disabled). */
export async function revokeSessionsOfUser(userId: string): Promise<number> {
  const result = await prisma().session.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return result.count;
}

/** Signs a person out everywhere except the session making the request (own password change). */
export async function revokeOtherSessionsOfUser(userId: string, keepIdHash: string | null): Promise<number> {
  const result = await prisma().session.updateMany({
    where: { userId, revokedAt: null, ...(keepIdHash ? { id: { not: keepIdHash } } : {}) },
    data: { revokedAt: new Date() },
  });
  return result.count;
}
