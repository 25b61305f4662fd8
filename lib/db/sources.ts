import { prisma } from "./client";
import { databaseUrl } from "./config";

/**
 * Sensor sources: API tokens whose pushes form one continuous stream (one
 * Upload row of kind "stream" and one Source row per token). Its counters are
 * written by the batch writer, in the transaction that stores each push
 * (batch-writer-thread.mjs, recordSourceActivity).
 */

/** A source's stream row, created with its Source row on the token's first push. */
export interface SourceStream {
  tokenId: string;
  uploadId: string;
}

/** Streams known to this process: a source's Upload row never changes once made, so this cannot go stale. */
const known = new Map<string, SourceStream>();

/** The token's stream, made on its first push. Two instances making it at once both end with the one row. */
export async function sourceStream(token: { id: string; name: string }): Promise<SourceStream> {
  const key = `${databaseUrl()}\n${token.id}`;
  const cached = known.get(key);
  if (cached) return cached;
  const existing = await prisma().source.findUnique({ where: { tokenId: token.id }, select: { uploadId: true } });
  const stream = existing ? { tokenId: token.id, uploadId: existing.uploadId } : await createStream(token);
  known.set(key, stream);
  return stream;
}

async function createStream(token: { id: string; name: string }): Promise<SourceStream> {
  try {
    return await prisma().$transaction(async (tx) => {
      const upload = await tx.upload.create({
        data: {
          fileName: `stream: ${token.name}`,
          format: "auto",
          status: "streaming",
          kind: "stream",
          apiTokenId: token.id,
        },
        select: { id: true },
      });
      await tx.source.create({ data: { tokenId: token.id, uploadId: upload.id } });
      return { tokenId: token.id, uploadId: upload.id };
    });
  } catch (error) {
    // Another request (or instance) made it first: its row is the stream.
    const winner = await prisma().source.findUnique({ where: { tokenId: token.id }, select: { uploadId: true } });
    if (winner) return { tokenId: token.id, uploadId: winner.uploadId };
    throw error;
  }
}

/** Forgets cached streams (tests that delete their database between cases). */
export function forgetSourceStreams(): void {
  known.clear();
}

export type SourceHealth = "ok" | "silent" | "rejecting" | "new" | "revoked";

export interface SourceCounts {
  pushes: number;
  events: number;
  rejected: number;
  alerts: number;
}

export interface SourceSummary {
  id: string;
  name: string;
  prefix: string;
  role: string;
  revoked: boolean;
  createdAt: string;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  formats: string[];
  health: SourceHealth;
  usualGapSeconds: number | null;
  silentForSeconds: number | null;
  lastHour: SourceCounts;
  lastDay: SourceCounts;
  total: SourceCounts;
  latestErrors: { at: string; line: number; message: string }[];
  streamUploadId: string | null;
}

/** A source is silent once it has been quiet this many times its usual gap between pushes... */
export const SILENT_GAP_FACTOR = 10;
/** ...and at least this long (a sensor that pushes every second is not lost after 10 s). */
export const SILENT_MIN_SECONDS = 15 * 60;

/**
 * The health of a source, from its last push and its usual rhythm: a sensor
 * that pushes every few seconds is missed after minutes, one that sends a
 * Falco alert a day only after days.
 */
export function sourceHealth(input: {
  revoked: boolean;
  lastSeenAt: Date | null;
  meanGapSeconds: number | null;
  rejectedLastHour: number;
  now: Date;
}): SourceHealth {
  if (input.revoked) return "revoked";
  if (!input.lastSeenAt) return "new";
  const quiet = (input.now.getTime() - input.lastSeenAt.getTime()) / 1000;
  const usual = input.meanGapSeconds ?? 0;
  if (quiet > Math.max(SILENT_GAP_FACTOR * usual, SILENT_MIN_SECONDS)) return "silent";
  if (input.rejectedLastHour > 0) return "rejecting";
  return "ok";
}

const ZERO: SourceCounts = { pushes: 0, events: 0, rejected: 0, alerts: 0 };

/**
 * Every ingest token, and every other token that has pushed, with its counts and health. A revoked token
 * is listed only while it has pushes in the last day.
 */
export async function listSources(now = new Date()): Promise<{ items: SourceSummary[]; silent: number }> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const [tokens, activity] = await Promise.all([
    prisma().apiToken.findMany({
      where: { OR: [{ role: "ingest" }, { source: { isNot: null } }] },
      select: {
        id: true,
        name: true,
        prefix: true,
        role: true,
        revokedAt: true,
        expiresAt: true,
        createdAt: true,
        source: true,
      },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    }),
    prisma().sourceActivity.findMany({
      where: { minute: { gte: dayAgo } },
      select: { tokenId: true, minute: true, pushes: true, events: true, rejected: true, alerts: true },
    }),
  ]);
  const hour = new Map<string, SourceCounts>();
  const day = new Map<string, SourceCounts>();
  const add = (map: Map<string, SourceCounts>, tokenId: string, row: SourceCounts) => {
    const sum = map.get(tokenId) ?? { ...ZERO };
    sum.pushes += row.pushes;
    sum.events += row.events;
    sum.rejected += row.rejected;
    sum.alerts += row.alerts;
    map.set(tokenId, sum);
  };
  for (const row of activity) {
    add(day, row.tokenId, row);
    // A minute counts for the last hour when it began within it.
    if (row.minute >= hourAgo) add(hour, row.tokenId, row);
  }
  const items = tokens.map((token): SourceSummary => {
    const source = token.source;
    const lastHour = hour.get(token.id) ?? { ...ZERO };
    const revoked = token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now);
    return {
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      role: token.role,
      revoked,
      createdAt: token.createdAt.toISOString(),
      firstSeenAt: source?.firstSeenAt?.toISOString() ?? null,
      lastSeenAt: source?.lastSeenAt?.toISOString() ?? null,
      formats: source ? (JSON.parse(source.formats) as string[]) : [],
      health: sourceHealth({
        revoked,
        lastSeenAt: source?.lastSeenAt ?? null,
        meanGapSeconds: source?.meanGapSeconds ?? null,
        rejectedLastHour: lastHour.rejected,
        now,
      }),
      usualGapSeconds: source?.meanGapSeconds ?? null,
      silentForSeconds: source?.lastSeenAt
        ? Math.max(0, Math.round((now.getTime() - source.lastSeenAt.getTime()) / 1000))
        : null,
      lastHour,
      lastDay: day.get(token.id) ?? { ...ZERO },
      total: source
        ? { pushes: source.pushes, events: source.events, rejected: source.rejected, alerts: source.alerts }
        : { ...ZERO },
      latestErrors: source ? (JSON.parse(source.latestErrors) as SourceSummary["latestErrors"]) : [],
      streamUploadId: source?.uploadId ?? null,
    };
  });
  // A revoked token stays listed while its last day's activity is shown, then leaves the page.
  const shown = items.filter((item) => !item.revoked || item.lastDay.pushes > 0);
  return { items: shown, silent: shown.filter((item) => item.health === "silent").length };
}
