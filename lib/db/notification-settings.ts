import type { NotificationChannel, NotificationRule } from "../generated/prisma/client";
import { retryWhenBusy } from "./busy-retry";
import { prisma } from "./client";
import { retryingTransaction } from "./transactions";

/**
 * Storage of notification channels and rules, the stored settings, and what
 * the alert history and the dashboard read about deliveries. Secrets arrive
 * here already encrypted (lib/notify/secret-box.ts).
 */

export type { NotificationChannel, NotificationRule };

export interface ChannelRecord {
  name: string;
  kind: string;
  enabled: boolean;
  config: string;
  secrets: string;
}

export async function listChannelRecords(): Promise<NotificationChannel[]> {
  return prisma().notificationChannel.findMany({ orderBy: { name: "asc" } });
}

export async function findChannelRecord(id: string): Promise<NotificationChannel | null> {
  return prisma().notificationChannel.findUnique({ where: { id } });
}

/** By id, else by name: what `keelwatch notify test CHANNEL` is given. */
export async function findChannelByIdOrName(idOrName: string): Promise<NotificationChannel | null> {
  return (
    (await prisma().notificationChannel.findUnique({ where: { id: idOrName } })) ??
    (await prisma().notificationChannel.findUnique({ where: { name: idOrName } }))
  );
}

export async function insertChannel(record: ChannelRecord): Promise<NotificationChannel> {
  return retryWhenBusy(() => prisma().notificationChannel.create({ data: record }));
}

export async function updateChannelRecord(id: string, record: Partial<ChannelRecord>): Promise<NotificationChannel> {
  return retryWhenBusy(() => prisma().notificationChannel.update({ where: { id }, data: record }));
}

export async function deleteChannelRecord(id: string): Promise<void> {
  await retryWhenBusy(() => prisma().notificationChannel.delete({ where: { id } }));
}

export type RuleWithChannels = NotificationRule & { channels: { channelId: string }[] };

export interface RuleRecord {
  name: string;
  enabled: boolean;
  minSeverity: string;
  detectionRules: string;
  tags: string;
  containerPattern: string | null;
  namespacePattern: string | null;
  sources: string;
  throttleMinutes: number;
}

export async function listRuleRecords(): Promise<RuleWithChannels[]> {
  return prisma().notificationRule.findMany({
    orderBy: { name: "asc" },
    include: { channels: { select: { channelId: true } } },
  });
}

export async function findRuleRecord(id: string): Promise<RuleWithChannels | null> {
  return prisma().notificationRule.findUnique({
    where: { id },
    include: { channels: { select: { channelId: true } } },
  });
}

/** The rules the sender matches: enabled ones, with their enabled channels. */
export async function enabledRulesWithChannels(): Promise<RuleWithChannels[]> {
  return prisma().notificationRule.findMany({
    where: { enabled: true },
    include: { channels: { where: { channel: { enabled: true } }, select: { channelId: true } } },
  });
}

export async function countChannels(ids: string[]): Promise<number> {
  return prisma().notificationChannel.count({ where: { id: { in: ids } } });
}

export async function insertRule(record: RuleRecord, channelIds: string[]): Promise<RuleWithChannels> {
  return retryWhenBusy(() =>
    prisma().notificationRule.create({
      data: { ...record, channels: { create: channelIds.map((channelId) => ({ channelId })) } },
      include: { channels: { select: { channelId: true } } },
    }),
  );
}

export async function updateRuleRecord(
  id: string,
  record: Partial<RuleRecord>,
  channelIds: string[] | undefined,
): Promise<RuleWithChannels> {
  return retryingTransaction(async (tx) => {
    if (channelIds) {
      await tx.notificationRuleChannel.deleteMany({ where: { ruleId: id } });
      await tx.notificationRuleChannel.createMany({ data: channelIds.map((channelId) => ({ ruleId: id, channelId })) });
    }
    return tx.notificationRule.update({
      where: { id },
      data: record,
      include: { channels: { select: { channelId: true } } },
    });
  });
}

export async function deleteRuleRecord(id: string): Promise<void> {
  await retryWhenBusy(() => prisma().notificationRule.delete({ where: { id } }));
}

export async function readSetting(key: string): Promise<string | null> {
  return (await prisma().appSetting.findUnique({ where: { key } }))?.value ?? null;
}

export async function writeSetting(key: string, value: string | null): Promise<void> {
  await retryWhenBusy(async () => {
    if (value === null) await prisma().appSetting.deleteMany({ where: { key } });
    else await prisma().appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
  });
}

/** A delivery as an alert's history shows it: where, what became of it, and each attempt. */
export interface AlertDeliveryView {
  id: string;
  channel: { id: string; name: string; kind: string };
  notificationRule: { id: string; name: string } | null;
  kind: string;
  /** pending | delivered | failed | held | digested; a digested alert shows its digest's state in digest */
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  digest: { id: string; status: string; deliveredAt: string | null; attempts: number } | null;
  attemptLog: { at: string; ok: boolean; statusCode: number | null; error: string | null; durationMs: number }[];
}

export async function deliveriesForAlert(alertId: string): Promise<AlertDeliveryView[]> {
  const db = prisma();
  const deliveries = await db.notificationDelivery.findMany({
    where: { alertId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: {
      channel: { select: { id: true, name: true, kind: true } },
      attemptLog: { orderBy: { at: "asc" }, take: 50 },
    },
  });
  const digestIds = deliveries.flatMap((delivery) => (delivery.digestId ? [delivery.digestId] : []));
  const ruleIds = [...new Set(deliveries.flatMap((d) => (d.notificationRuleId ? [d.notificationRuleId] : [])))];
  const [digests, rules] = await Promise.all([
    db.notificationDelivery.findMany({
      where: { id: { in: digestIds } },
      select: { id: true, status: true, deliveredAt: true, attempts: true },
    }),
    db.notificationRule.findMany({ where: { id: { in: ruleIds } }, select: { id: true, name: true } }),
  ]);
  const digestById = new Map(digests.map((digest) => [digest.id, digest]));
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
  return deliveries.map((delivery) => {
    const digest = delivery.digestId ? digestById.get(delivery.digestId) : undefined;
    return {
      id: delivery.id,
      channel: delivery.channel,
      notificationRule: delivery.notificationRuleId ? (ruleById.get(delivery.notificationRuleId) ?? null) : null,
      kind: delivery.kind,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.nextAttemptAt.toISOString(),
      lastError: delivery.lastError,
      deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
      createdAt: delivery.createdAt.toISOString(),
      digest: digest
        ? {
            id: digest.id,
            status: digest.status,
            deliveredAt: digest.deliveredAt?.toISOString() ?? null,
            attempts: digest.attempts,
          }
        : null,
      attemptLog: delivery.attemptLog.map((attempt) => ({
        at: attempt.at.toISOString(),
        ok: attempt.ok,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
      })),
    };
  });
}

/** Channels at or past `threshold` failed attempts in a row, for Settings and the dashboard. */
export async function failingChannelRecords(threshold: number): Promise<NotificationChannel[]> {
  return prisma().notificationChannel.findMany({
    where: { enabled: true, consecutiveFailures: { gte: threshold } },
    orderBy: { name: "asc" },
  });
}

/** How many deliveries of each state a channel has, for its row in Settings. */
export async function pendingDeliveryCounts(): Promise<Map<string, number>> {
  const rows = await prisma().notificationDelivery.groupBy({
    by: ["channelId"],
    where: { status: "pending" },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.channelId, row._count._all]));
}
