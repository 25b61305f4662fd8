import { z } from "zod";
import { prisma } from "./client";

/**
 * A person's saved hunts and the last queries they ran. Hunts belong to a
 * person (a session), not to an API token. The scope is kept as JSON so that
 * the Hunt page can put it back as it was.
 */

export const HUNT_HISTORY_KEPT = 20;

export const SavedHuntScopeSchema = z
  .object({
    containerId: z.string().min(1).max(300).optional(),
    hostName: z.string().min(1).max(300).optional(),
    uploadId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type SavedHuntScope = z.infer<typeof SavedHuntScopeSchema>;

/** POST /api/hunt/saved: saving under a name the person already used replaces that hunt. */
export const SavedHuntInputSchema = z.object({
  name: z.string().trim().min(1, "give the hunt a name").max(200),
  query: z.string().min(1).max(100_000),
  scope: SavedHuntScopeSchema.default({}),
});
export type SavedHuntInput = z.output<typeof SavedHuntInputSchema>;

export interface SavedHuntView {
  id: string;
  name: string;
  query: string;
  scope: SavedHuntScope;
  updatedAt: string;
}

export interface HuntHistoryEntry {
  query: string;
  scope: SavedHuntScope;
  ranAt: string;
}

function scopeOf(text: string): SavedHuntScope {
  try {
    const parsed = SavedHuntScopeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function listSavedHunts(userId: string): Promise<SavedHuntView[]> {
  const rows = await prisma().savedHunt.findMany({ where: { userId }, orderBy: { name: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    query: row.query,
    scope: scopeOf(row.scope),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

export async function saveHunt(userId: string, input: SavedHuntInput): Promise<SavedHuntView> {
  const data = { query: input.query, scope: JSON.stringify(input.scope) };
  const row = await prisma().savedHunt.upsert({
    where: { userId_name: { userId, name: input.name } },
    create: { userId, name: input.name, ...data },
    update: data,
  });
  return {
    id: row.id,
    name: row.name,
    query: row.query,
    scope: scopeOf(row.scope),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Deletes one of the person's saved hunts; false when they have none with that id. */
export async function deleteSavedHunt(userId: string, id: string): Promise<boolean> {
  const { count } = await prisma().savedHunt.deleteMany({ where: { id, userId } });
  return count > 0;
}

/**
 * Records a query the person ran, newest first, without repeating the one just
 * run, and forgets all but the last HUNT_HISTORY_KEPT.
 */
export async function recordHuntRun(userId: string, query: string, scope: SavedHuntScope): Promise<void> {
  const db = prisma();
  const scopeText = JSON.stringify(scope);
  const latest = await db.huntHistory.findFirst({ where: { userId }, orderBy: { id: "desc" } });
  if (latest && latest.query === query && latest.scope === scopeText) {
    await db.huntHistory.update({ where: { id: latest.id }, data: { ranAt: new Date() } });
    return;
  }
  await db.huntHistory.create({ data: { userId, query, scope: scopeText } });
  const kept = await db.huntHistory.findMany({
    where: { userId },
    orderBy: { id: "desc" },
    skip: HUNT_HISTORY_KEPT,
    take: 1,
    select: { id: true },
  });
  const oldestKept = kept[0];
  if (oldestKept) await db.huntHistory.deleteMany({ where: { userId, id: { lte: oldestKept.id } } });
}

export async function huntHistory(userId: string): Promise<HuntHistoryEntry[]> {
  const rows = await prisma().huntHistory.findMany({
    where: { userId },
    orderBy: { id: "desc" },
    take: HUNT_HISTORY_KEPT,
  });
  return rows.map((row) => ({ query: row.query, scope: scopeOf(row.scope), ranAt: row.ranAt.toISOString() }));
}
