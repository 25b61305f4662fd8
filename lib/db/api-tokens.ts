import { prisma } from "./client";
import { hotApiTokenByHash } from "./dialect/sqlite/hot-reads";

export interface ApiTokenRecord {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const PUBLIC_FIELDS = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export async function createApiToken(input: {
  name: string;
  role: string;
  tokenHash: string;
  prefix: string;
  expiresAt: Date | null;
  createdById: string | null;
}): Promise<ApiTokenRecord> {
  return prisma().apiToken.create({ data: input, select: PUBLIC_FIELDS });
}

/** Read on every token-authenticated request: through the prepared statement of hot-reads.ts where it can. */
export async function findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
  const hot = hotApiTokenByHash(tokenHash);
  if (hot !== undefined) return hot;
  return prisma().apiToken.findUnique({ where: { tokenHash }, select: PUBLIC_FIELDS });
}

/** Records use at most once a minute per token, so busy ingest scripts do not write on every request. */
export async function touchApiToken(id: string, lastUsedAt: Date | null): Promise<void> {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < 60_000) return;
  await prisma().apiToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
}

export async function revokeApiToken(id: string): Promise<boolean> {
  const result = await prisma().apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return result.count === 1;
}

export interface ApiTokenListing extends ApiTokenRecord {
  createdBy: { id: string; username: string } | null;
}

/** Every token, newest first, with who created it; the hash never leaves the database. */
export async function listApiTokens(): Promise<ApiTokenListing[]> {
  return prisma().apiToken.findMany({
    select: { ...PUBLIC_FIELDS, createdBy: { select: { id: true, username: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export async function findApiTokenById(id: string): Promise<ApiTokenRecord | null> {
  return prisma().apiToken.findUnique({ where: { id }, select: PUBLIC_FIELDS });
}
