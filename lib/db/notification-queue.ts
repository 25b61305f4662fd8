import { Prisma } from "../generated/prisma/client";
import { retryWhenBusy } from "./busy-retry";
import { prisma } from "./client";
import { dialect } from "./dialect";
import { retryingTransaction } from "./transactions";

/**
 * The notification sender's queries: claiming outbox rows and deliveries with
 * leases, turning an outbox row into deliveries, gathering held alerts into
 * digests and recording attempts. Claims are single UPDATE … RETURNING
 * statements on a lease column, so several server processes sharing one
 * database never take the same work at once, and work whose process died is
 * taken again once its lease runs out.
 */

/** DateTime as Prisma writes it to SQLite, so hand-written comparisons and Prisma's agree. */
export function sqlTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export interface ClaimedOutboxRow {
  id: number;
  alertId: string;
}

export async function claimOutbox(now: Date, until: Date, limit: number): Promise<ClaimedOutboxRow[]> {
  const rows = await retryWhenBusy(
    () => prisma().$queryRaw<{ id: bigint | number; alertId: string }[]>`
      UPDATE "NotificationOutbox" SET "claimedUntil" = ${sqlTime(until)}
      WHERE "id" IN (
        SELECT "id" FROM "NotificationOutbox"
        WHERE "claimedUntil" IS NULL OR "claimedUntil" < ${sqlTime(now)}
        ORDER BY "id" LIMIT ${limit} ${dialect().skipLockedRows()}
      )
      RETURNING "id", "alertId"`,
  );
  return rows.map((row) => ({ id: Number(row.id), alertId: row.alertId })).sort((a, b) => a.id - b.id);
}

export async function outboxSize(): Promise<number> {
  return prisma().notificationOutbox.count();
}

/** Which channels one matching notification rule sends an alert to, and its throttle window. */
export interface DeliveryPlan {
  notificationRuleId: string;
  channelIds: string[];
  throttleKey: string;
  throttleMinutes: number;
}

/**
 * In one transaction: takes the outbox row off the queue (only while this
 * process's lease on it holds) and writes one delivery per channel of every
 * matching rule: pending, or held until the rule + container's throttle window
 * ends. Returns false when the lease was lost, with nothing written.
 */
export async function routeOutboxRow(
  row: ClaimedOutboxRow,
  leaseUntil: Date,
  plans: DeliveryPlan[],
  now: Date,
): Promise<boolean> {
  return retryingTransaction(async (tx) => {
    const removed = await tx.notificationOutbox.deleteMany({ where: { id: row.id, claimedUntil: leaseUntil } });
    if (removed.count === 0) return false;
    for (const plan of plans) {
      const heldUntil = await throttleWindow(tx, plan, now);
      await tx.notificationDelivery.createMany({
        data: plan.channelIds.map((channelId) => ({
          channelId,
          notificationRuleId: plan.notificationRuleId,
          kind: "alert",
          alertId: row.alertId,
          status: heldUntil ? "held" : "pending",
          throttleKey: plan.throttleKey,
          nextAttemptAt: heldUntil ?? now,
        })),
      });
    }
    return true;
  });
}

/**
 * When the plan's throttle window is open: the end of that window (its alert is held until then), or null (it goes
 * out now). A throttled rule's alert that finds no open window opens one, in one statement: an upsert that changes
 * the row only when its window has ended, so of two instances routing alerts of one rule and container at once,
 * exactly one opens the window and the other, waiting for that row, finds it open. (Reading the window first and
 * writing it after let both read "no window" on PostgreSQL and send both at once.)
 */
async function throttleWindow(tx: Prisma.TransactionClient, plan: DeliveryPlan, now: Date): Promise<Date | null> {
  if (plan.throttleMinutes > 0) {
    const windowEndsAt = new Date(now.getTime() + plan.throttleMinutes * 60_000);
    const opened = await tx.$queryRaw<{ key: string }[]>`
      INSERT INTO "NotificationThrottle" ("key", "windowEndsAt") VALUES (${plan.throttleKey}, ${sqlTime(windowEndsAt)})
      ON CONFLICT ("key") DO UPDATE SET "windowEndsAt" = excluded."windowEndsAt"
      WHERE "NotificationThrottle"."windowEndsAt" <= ${sqlTime(now)}
      RETURNING "key"`;
    if (opened.length > 0) return null;
  }
  // Unthrottled rules still honour a window opened before their throttle was turned off.
  const window = await tx.notificationThrottle.findUnique({ where: { key: plan.throttleKey } });
  return window !== null && window.windowEndsAt > now ? window.windowEndsAt : null;
}

/** Drops an outbox row whose alert no longer exists (deleted sample data), while the lease holds. */
export async function dropOutboxRow(row: ClaimedOutboxRow, leaseUntil: Date): Promise<void> {
  await retryWhenBusy(() =>
    prisma().notificationOutbox.deleteMany({ where: { id: row.id, claimedUntil: leaseUntil } }),
  );
}

class DigestConflict extends Error {}

/**
 * Held alerts whose throttle window has ended become one digest delivery per
 * channel and window; each held row then points at its digest. Returns the
 * number of digests written.
 */
export async function releaseDueDigests(now: Date, limit = 1_000): Promise<number> {
  const due = await prisma().notificationDelivery.findMany({
    where: { status: "held", nextAttemptAt: { lte: now } },
    select: { id: true, channelId: true, notificationRuleId: true, throttleKey: true, alertId: true },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    take: limit,
  });
  const groups = new Map<string, typeof due>();
  for (const row of due) {
    const key = `${row.channelId}\u0000${row.notificationRuleId}\u0000${row.throttleKey}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let written = 0;
  for (const rows of groups.values()) {
    const [first] = rows;
    if (!first) continue;
    try {
      await retryingTransaction(async (tx) => {
        const digest = await tx.notificationDelivery.create({
          data: {
            channelId: first.channelId,
            notificationRuleId: first.notificationRuleId,
            kind: "digest",
            status: "pending",
            throttleKey: first.throttleKey,
            alertIds: JSON.stringify(rows.map((row) => row.alertId)),
            nextAttemptAt: now,
          },
        });
        const moved = await tx.notificationDelivery.updateMany({
          where: { id: { in: rows.map((row) => row.id) }, status: "held" },
          data: { status: "digested", digestId: digest.id },
        });
        // Another process gathered some of them first: leave these to the next round.
        if (moved.count !== rows.length) throw new DigestConflict();
      });
      written++;
    } catch (error) {
      if (!(error instanceof DigestConflict)) throw error;
    }
  }
  return written;
}

/** Claims due deliveries, leaving out those of channels that are waiting out a failure (`resting`). */
export async function claimDeliveries(
  now: Date,
  until: Date,
  limit: number,
  resting: readonly string[] = [],
): Promise<string[]> {
  const skip = resting.length > 0 ? Prisma.sql`AND d."channelId" NOT IN (${Prisma.join([...resting])})` : Prisma.empty;
  const rows = await retryWhenBusy(
    () => prisma().$queryRaw<{ id: string }[]>`
      UPDATE "NotificationDelivery" SET "claimedUntil" = ${sqlTime(until)}
      WHERE "id" IN (
        SELECT d."id" FROM "NotificationDelivery" d
        JOIN "NotificationChannel" c ON c."id" = d."channelId"
        WHERE d."status" = 'pending' AND d."nextAttemptAt" <= ${sqlTime(now)}
          AND (d."claimedUntil" IS NULL OR d."claimedUntil" < ${sqlTime(now)})
          AND c."enabled" = true ${skip}
        ORDER BY d."nextAttemptAt" LIMIT ${limit} ${dialect().skipLockedRows("d")}
      )
      RETURNING "id"`,
  );
  return rows.map((row) => row.id);
}

const DELIVERY_WITH_CHANNEL = { include: { channel: true } } satisfies Prisma.NotificationDeliveryDefaultArgs;
export type DeliveryWithChannel = Prisma.NotificationDeliveryGetPayload<typeof DELIVERY_WITH_CHANNEL>;

export async function findDelivery(id: string): Promise<DeliveryWithChannel | null> {
  return prisma().notificationDelivery.findUnique({ where: { id }, ...DELIVERY_WITH_CHANNEL });
}

/** The alerts claimed deliveries are about, to read them all at once before sending. */
export async function alertIdsOfDeliveries(ids: readonly string[]): Promise<string[]> {
  const rows = await prisma().notificationDelivery.findMany({
    where: { id: { in: [...ids] } },
    select: { alertId: true, alertIds: true, kind: true },
  });
  return rows.flatMap((row) => {
    if (row.kind !== "digest") return row.alertId ? [row.alertId] : [];
    try {
      return JSON.parse(row.alertIds) as string[];
    } catch {
      return [];
    }
  });
}

/**
 * Renews this process's claim on one delivery just before it is sent: true when the claim made until `claimedUntil`
 * is still its own (the lease may have run out meanwhile, if nobody else took the delivery), now held until `until`.
 * A round claims a batch of deliveries under one lease but sends them a few at a time, so without this a slow
 * receiver let the lease of the batch's tail run out while it waited, and another instance claimed and sent those
 * deliveries too. With it, each send is covered by a whole lease from its start.
 */
export async function renewDeliveryClaim(id: string, claimedUntil: Date, until: Date): Promise<boolean> {
  const renewed = await retryWhenBusy(() =>
    prisma().notificationDelivery.updateMany({
      where: { id, status: "pending", claimedUntil },
      data: { claimedUntil: until },
    }),
  );
  return renewed.count === 1;
}

/** Gives a claimed delivery back untouched (its channel failed earlier in the same round), while the claim is ours. */
export async function releaseDelivery(id: string, claimedUntil: Date): Promise<void> {
  await retryWhenBusy(() =>
    prisma().notificationDelivery.updateMany({
      where: { id, status: "pending", claimedUntil },
      data: { claimedUntil: null },
    }),
  );
}

/** Channels with failures in a row: when they last failed and how many times. */
export async function channelsWithFailures(): Promise<
  { id: string; consecutiveFailures: number; lastErrorAt: Date | null }[]
> {
  return prisma().notificationChannel.findMany({
    where: { consecutiveFailures: { gt: 0 } },
    select: { id: true, consecutiveFailures: true, lastErrorAt: true },
  });
}

export async function findNotificationRuleName(id: string): Promise<string | null> {
  return (await prisma().notificationRule.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}

export interface AttemptRecord {
  deliveryId: string;
  channelId: string;
  at: Date;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** what the delivery becomes: delivered, pending again at nextAttemptAt, or failed for good */
  next: { status: "delivered" | "failed" } | { status: "pending"; nextAttemptAt: Date };
  /** false when nothing was sent (the alert was deleted): the channel's health stays as it was */
  reachedChannel?: boolean;
}

/** One attempt, its delivery's new state and its channel's health, together. */
export async function recordAttempt(record: AttemptRecord): Promise<void> {
  await retryingTransaction(async (tx) => {
    await tx.notificationAttempt.create({
      data: {
        deliveryId: record.deliveryId,
        at: record.at,
        ok: record.ok,
        statusCode: record.statusCode,
        error: record.error,
        durationMs: record.durationMs,
      },
    });
    await tx.notificationDelivery.updateMany({
      // A delivery already recorded as delivered (by a process that took it over after a lease ran out) stays so.
      where: { id: record.deliveryId, status: "pending" },
      data: {
        attempts: { increment: 1 },
        status: record.next.status,
        nextAttemptAt: record.next.status === "pending" ? record.next.nextAttemptAt : undefined,
        claimedUntil: null,
        lastError: record.error,
        deliveredAt: record.ok ? record.at : undefined,
      },
    });
    if (record.reachedChannel === false) return;
    await tx.notificationChannel.updateMany({
      where: { id: record.channelId },
      data: record.ok
        ? { consecutiveFailures: 0, lastSuccessAt: record.at }
        : { consecutiveFailures: { increment: 1 }, lastError: record.error, lastErrorAt: record.at },
    });
  });
}

/** A test message's delivery: written already claimed, since the caller sends it at once. */
export async function createTestDelivery(channelId: string, now: Date, leaseUntil: Date): Promise<string> {
  const delivery = await retryWhenBusy(() =>
    prisma().notificationDelivery.create({
      data: { channelId, kind: "test", status: "pending", nextAttemptAt: now, claimedUntil: leaseUntil },
    }),
  );
  return delivery.id;
}
