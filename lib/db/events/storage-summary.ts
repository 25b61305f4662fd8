import { prisma } from "../client";
import { databaseUrl } from "../config";
import { dialect } from "../dialect";
import type { RetentionPolicy } from "./maintenance.mjs";
import { describePolicy, retentionPolicy } from "./upkeep";

/** What the dashboard's system panel shows about stored events and retention. */
export interface StorageSummary {
  /** bytes on disk: the database file with its WAL on SQLite, pg_database_size on PostgreSQL */
  diskBytes: number;
  eventsKept: number;
  /** time of the oldest stored event, null when none */
  oldestEvent: string | null;
  blocks: number;
  /** stored (compressed) and unpacked bytes of the blocks */
  blockBytes: number;
  rawBytes: number;
  /** events stored before blocks, still waiting for the background conversion */
  eventsNotInBlocks: number;
  retention: {
    policy: string;
    maxDays: number | null;
    maxBytes: number | null;
    /** the block retention takes next, and from when: null when nothing is due under the policy */
    next: {
      blockId: number;
      events: number;
      storedAt: string;
      dueAt: string;
      firstEvent: string;
      lastEvent: string;
    } | null;
  };
}

export async function storageSummary(policy: RetentionPolicy = retentionPolicy()): Promise<StorageSummary> {
  const db = prisma();
  const url = databaseUrl();
  const [blocks, legacy, oldest, next] = await Promise.all([
    db.eventBlock.aggregate({ _count: { _all: true }, _sum: { liveCount: true, rawBytes: true } }),
    db.event.count({ where: { blockId: null } }),
    db.event.findFirst({ orderBy: { timestamp: "asc" }, select: { timestamp: true } }),
    nextDue(policy),
  ]);
  // octet_length is length() for blobs on SQLite and the bytes of a bytea on PostgreSQL.
  const blockBytes = await db.$queryRaw<{ bytes: bigint | number | string | null }[]>`
    SELECT sum(octet_length("data")) AS "bytes" FROM "EventBlock"`;
  return {
    diskBytes: await dialect(url).diskBytes(db, url),
    eventsKept: (blocks._sum.liveCount ?? 0) + legacy,
    oldestEvent: oldest?.timestamp.toISOString() ?? null,
    blocks: blocks._count._all,
    blockBytes: Number(blockBytes[0]?.bytes ?? 0),
    rawBytes: blocks._sum.rawBytes ?? 0,
    eventsNotInBlocks: legacy,
    retention: {
      policy: describePolicy(policy),
      maxDays: policy.maxDays ?? null,
      maxBytes: policy.maxBytes ?? null,
      next,
    },
  };
}

/**
 * The oldest block holding an event that no alert needs, and when retention
 * takes it: at its ingest time plus the days kept, or now when a size limit
 * is exceeded (the background pass runs every 10 minutes).
 */
async function nextDue(policy: RetentionPolicy): Promise<StorageSummary["retention"]["next"]> {
  if (!policy.maxDays && !policy.maxBytes) return null;
  const rows = await prisma().$queryRaw<
    { id: number; createdAt: Date | string; minTime: Date | string; maxTime: Date | string; liveCount: number }[]
  >`SELECT b."id", b."createdAt", b."minTime", b."maxTime", b."liveCount" FROM "EventBlock" b
    WHERE EXISTS (SELECT 1 FROM "Event" e WHERE e."blockId" = b."id"
                  AND NOT EXISTS (SELECT 1 FROM "AlertEvent" a WHERE a."eventId" = e."id"))
    ORDER BY b."id" LIMIT 1`;
  const row = rows[0];
  if (!row) return null;
  const storedAt = new Date(row.createdAt);
  const byAge = policy.maxDays ? storedAt.getTime() + policy.maxDays * 86_400_000 : Number.POSITIVE_INFINITY;
  const bySize = policy.maxBytes && (await usedBytes()) > policy.maxBytes ? Date.now() : Number.POSITIVE_INFINITY;
  const due = Math.min(byAge, bySize);
  if (!Number.isFinite(due)) return null;
  return {
    blockId: Number(row.id),
    events: Number(row.liveCount),
    storedAt: storedAt.toISOString(),
    dueAt: new Date(due).toISOString(),
    firstEvent: new Date(row.minTime).toISOString(),
    lastEvent: new Date(row.maxTime).toISOString(),
  };
}

async function usedBytes(): Promise<number> {
  return dialect().usedBytes(prisma());
}
