import { loadAlertsForNotification } from "../db/notification-alerts";
import {
  alertIdsOfDeliveries,
  type ClaimedOutboxRow,
  channelsWithFailures,
  claimDeliveries,
  claimOutbox,
  type DeliveryPlan,
  dropOutboxRow,
  findDelivery,
  findNotificationRuleName,
  recordAttempt,
  releaseDelivery,
  releaseDueDigests,
  renewDeliveryClaim,
  routeOutboxRow,
} from "../db/notification-queue";
import { enabledRulesWithChannels } from "../db/notification-settings";
import { channelSettings } from "./channel-settings";
import { type SendOutcome, sendThrough } from "./channels";
import { ruleMatches, throttleKeyOf } from "./matching";
import type { NotificationMessage } from "./message";
import { type NotifiedAlert, notifiedAlertOf } from "./notified-alert";
import { publicBaseUrl } from "./public-url";
import { matchableRule } from "./rule-view";

/**
 * The background sender: outbox rows become deliveries, held alerts become
 * digests when their throttle window ends, and due deliveries are sent, each
 * failure retried later with exponential backoff. All its state is in the
 * database (leases, attempt counts, next attempt times), so any number of
 * server processes may run one, and a process killed mid-send loses nothing:
 * its leases run out and another round sends again, with the same
 * idempotency key.
 */

export interface SenderOptions {
  /** pause between rounds when there was nothing to do */
  pollMs: number;
  /** first retry after this long, doubling with each failure up to maxBackoffMs */
  backoffMs: number;
  maxBackoffMs: number;
  /** a delivery still failing this long after it was created is given up (status failed) */
  giveUpAfterMs: number;
  /** how long a claim on outbox rows or deliveries lasts; longer than a send can take */
  leaseMs: number;
  outboxBatch: number;
  sendBatch: number;
  /** sends in flight at once */
  concurrency: number;
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export function senderOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SenderOptions {
  return {
    pollMs: numberFromEnv(env, "KEELWATCH_NOTIFY_POLL_MS", 1_000),
    backoffMs: numberFromEnv(env, "KEELWATCH_NOTIFY_BACKOFF_MS", 5_000),
    maxBackoffMs: numberFromEnv(env, "KEELWATCH_NOTIFY_MAX_BACKOFF_MS", 5 * 60_000),
    giveUpAfterMs: numberFromEnv(env, "KEELWATCH_NOTIFY_GIVE_UP_HOURS", 24) * 3_600_000,
    leaseMs: numberFromEnv(env, "KEELWATCH_NOTIFY_LEASE_MS", 60_000),
    outboxBatch: 200,
    sendBatch: 50,
    concurrency: 4,
  };
}

/** Exponential backoff with ±20 % jitter, so many failed deliveries do not all come back in the same second. */
export function retryDelayMs(failures: number, options: Pick<SenderOptions, "backoffMs" | "maxBackoffMs">): number {
  const base = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface RoundResult {
  routed: number;
  digests: number;
  sent: number;
  failed: number;
}

/** Reads alerts for messages, many at once, each once per round; an alert deleted since is absent. */
export interface AlertLoader {
  load(ids: readonly string[]): Promise<void>;
  get(id: string): NotifiedAlert | null;
}

export function alertLoader(baseUrl: string): AlertLoader {
  const loaded = new Map<string, NotifiedAlert | null>();
  return {
    async load(ids) {
      const missing = ids.filter((id) => !loaded.has(id));
      const found = await loadAlertsForNotification(missing);
      for (const id of missing) {
        const alert = found.get(id);
        loaded.set(id, alert ? notifiedAlertOf(alert, baseUrl) : null);
      }
    },
    get: (id) => loaded.get(id) ?? null,
  };
}

async function routeOutbox(options: SenderOptions, now: Date, alerts: AlertLoader): Promise<number> {
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const rows = await claimOutbox(now, leaseUntil, options.outboxBatch);
  if (rows.length === 0) return 0;
  const rules = (await enabledRulesWithChannels()).filter((rule) => rule.channels.length > 0);
  await alerts.load(rows.map((row) => row.alertId));
  let routed = 0;
  for (const row of rows) {
    try {
      if (await routeOne(row, leaseUntil, rules, alerts.get(row.alertId), now)) routed++;
    } catch (error) {
      // Left claimed: the row comes back when its lease runs out.
      console.error(`keelwatch: notifications: could not route alert ${row.alertId}:`, error);
    }
  }
  return routed;
}

async function routeOne(
  row: ClaimedOutboxRow,
  leaseUntil: Date,
  rules: Awaited<ReturnType<typeof enabledRulesWithChannels>>,
  alert: NotifiedAlert | null,
  now: Date,
): Promise<boolean> {
  if (!alert) {
    await dropOutboxRow(row, leaseUntil);
    return false;
  }
  const plans: DeliveryPlan[] = rules
    .filter((rule) => ruleMatches(matchableRule(rule), alert))
    .map((rule) => ({
      notificationRuleId: rule.id,
      channelIds: rule.channels.map((link) => link.channelId),
      throttleKey: throttleKeyOf(rule.id, alert),
      throttleMinutes: rule.throttleMinutes,
    }));
  return routeOutboxRow(row, leaseUntil, plans, now);
}

function parseIds(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

/**
 * What a round knows of its channels: those that failed in it, and those that had failed before it (`suspect`):
 * one delivery probes a suspect channel, and the round sends no more to a channel that failed.
 */
export interface RoundChannels {
  failed: Set<string>;
  suspect: Set<string>;
  probed: Set<string>;
}

export function freshRound(suspect: Iterable<string> = []): RoundChannels {
  return { failed: new Set(), suspect: new Set(suspect), probed: new Set() };
}

/** Whether this round may send to the channel now; a suspect channel's first taker becomes its probe. */
function maySend(round: RoundChannels, channelId: string): boolean {
  if (round.failed.has(channelId)) return false;
  if (!round.suspect.has(channelId)) return true;
  if (round.probed.has(channelId)) return false;
  round.probed.add(channelId);
  return true;
}

/**
 * Sends one delivery this process claimed until `claimedUntil` once and records the attempt; null when it was no
 * longer pending, or another process has taken it since (the claim ran out), or it was given back untried because
 * its channel failed (or is being probed) in this round.
 */
export async function sendDelivery(
  deliveryId: string,
  claimedUntil: Date,
  options: SenderOptions,
  alertsLoader: AlertLoader,
  baseUrl: string,
  round: RoundChannels = freshRound(),
): Promise<SendOutcome | null> {
  const delivery = await findDelivery(deliveryId);
  if (delivery?.status !== "pending") return null;
  if (!maySend(round, delivery.channelId)) {
    await releaseDelivery(delivery.id, claimedUntil);
    return null;
  }
  const started = Date.now();
  if (!(await renewDeliveryClaim(delivery.id, claimedUntil, new Date(started + options.leaseMs)))) return null;
  const alertIds =
    delivery.kind === "digest" ? parseIds(delivery.alertIds) : delivery.alertId ? [delivery.alertId] : [];
  await alertsLoader.load(alertIds);
  const alerts = alertIds.map((id) => alertsLoader.get(id)).filter((alert): alert is NotifiedAlert => alert !== null);
  const ruleName = delivery.notificationRuleId ? await findNotificationRuleName(delivery.notificationRuleId) : null;
  const message: NotificationMessage = {
    kind: delivery.kind as NotificationMessage["kind"],
    deliveryId: delivery.id,
    notificationRule:
      delivery.notificationRuleId && ruleName ? { id: delivery.notificationRuleId, name: ruleName } : null,
    alerts,
    windowMinutes: null,
    baseUrl,
  };
  let outcome: SendOutcome;
  const alertsGone = delivery.kind !== "test" && alerts.length === 0;
  if (alertsGone) {
    outcome = { ok: false, statusCode: null, error: "the alert was deleted before it could be sent" };
  } else {
    try {
      outcome = await sendThrough(channelSettings(delivery.channel), message);
    } catch (error) {
      outcome = { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
  const at = new Date();
  if (outcome.ok) round.suspect.delete(delivery.channelId);
  else if (!alertsGone) round.failed.add(delivery.channelId);
  const failures = delivery.attempts + 1;
  // A test is tried once (the person who pressed the button sees the outcome); a deleted alert never comes back.
  const pointless = delivery.kind === "test" || alertsGone;
  const tooOld = at.getTime() - delivery.createdAt.getTime() >= options.giveUpAfterMs;
  await recordAttempt({
    deliveryId: delivery.id,
    channelId: delivery.channelId,
    at,
    ok: outcome.ok,
    statusCode: outcome.statusCode,
    error: outcome.ok ? null : outcome.error,
    durationMs: at.getTime() - started,
    reachedChannel: !alertsGone,
    next: outcome.ok
      ? { status: "delivered" }
      : pointless || tooOld
        ? { status: "failed" }
        : { status: "pending", nextAttemptAt: new Date(at.getTime() + retryDelayMs(failures, options)) },
  });
  return outcome;
}

/**
 * A channel that failed rests for the backoff its run of failures has earned: while it does, only its deliveries'
 * own retry times pass and nothing is sent to it; after that one delivery probes it. A receiver that is down gets
 * one attempt per backoff instead of one per queued message.
 */
async function channelHealth(now: Date, options: SenderOptions): Promise<{ resting: string[]; suspect: string[] }> {
  const failing = await channelsWithFailures();
  const resting = failing
    .filter((channel) => {
      const rest = Math.min(
        options.maxBackoffMs,
        options.backoffMs * 2 ** Math.max(0, channel.consecutiveFailures - 1),
      );
      return channel.lastErrorAt !== null && channel.lastErrorAt.getTime() + rest > now.getTime();
    })
    .map((channel) => channel.id);
  return { resting, suspect: failing.map((channel) => channel.id) };
}

async function sendDue(options: SenderOptions, now: Date, alerts: AlertLoader, baseUrl: string) {
  const { resting, suspect } = await channelHealth(now, options);
  const claimedUntil = new Date(now.getTime() + options.leaseMs);
  const ids = await claimDeliveries(now, claimedUntil, options.sendBatch, resting);
  await alerts.load(await alertIdsOfDeliveries(ids));
  const round = freshRound(suspect);
  let sent = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      try {
        const outcome = await sendDelivery(id, claimedUntil, options, alerts, baseUrl, round);
        if (outcome?.ok) sent++;
        else if (outcome) failed++;
      } catch (error) {
        failed++;
        console.error(`keelwatch: notifications: delivery ${id} could not be recorded:`, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, ids.length) }, worker));
  return { sent, failed, claimed: ids.length };
}

/** One round of everything the sender does; exported for tests and the CLI. */
export async function runSenderRound(
  options: SenderOptions = senderOptionsFromEnv(),
): Promise<RoundResult & { busy: boolean }> {
  const baseUrl = await publicBaseUrl();
  const load = alertLoader(baseUrl);
  const routed = await routeOutbox(options, new Date(), load);
  const digests = await releaseDueDigests(new Date());
  const { sent, failed, claimed } = await sendDue(options, new Date(), load, baseUrl);
  const busy = routed >= options.outboxBatch || claimed >= options.sendBatch || digests > 0;
  return { routed, digests, sent, failed, busy };
}

export interface RunningSender {
  /** run a round soon instead of after the poll pause */
  wake(): void;
  stop(): Promise<void>;
}

/** Runs rounds until stopped: straight on while there is work, else after a pause. */
export function startNotificationSender(options: SenderOptions = senderOptionsFromEnv()): RunningSender {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      current = round();
    }, delayMs);
    timer.unref?.();
  };
  const round = async () => {
    let busy = false;
    try {
      busy = (await runSenderRound(options)).busy;
    } catch (error) {
      console.error("keelwatch: notifications: sender round failed:", error);
    }
    current = null;
    schedule(busy ? 0 : options.pollMs);
  };
  schedule(0);
  return {
    wake: () => {
      if (!current) schedule(0);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

const globalForSender = globalThis as unknown as { keelwatchNotificationSender?: RunningSender };

/** The server's one sender (Next's dev reloads must not start a second). */
export function ensureNotificationSender(): RunningSender {
  globalForSender.keelwatchNotificationSender ??= startNotificationSender();
  return globalForSender.keelwatchNotificationSender;
}
