import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { seedAlert, seedRule } from "@/lib/db/alert-test-fixtures";
import { prisma } from "@/lib/db/client";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import { runSenderRound, senderOptionsFromEnv } from "@/lib/notify/sender";
import { startHttpReceiver } from "@/lib/notify/test-receivers";
import { DELETE as deleteChannel, GET as getChannel, PATCH as patchChannel } from "./channels/[id]/route";
import { POST as testChannel } from "./channels/[id]/test/route";
import { POST as createChannel, GET as listChannels } from "./channels/route";
import { GET as listDeliveries } from "./deliveries/route";
import { DELETE as deleteRule, PATCH as patchRule } from "./rules/[id]/route";
import { POST as createRule, GET as listRules } from "./rules/route";
import { GET as getSettings, PUT as putSettings } from "./settings/route";
import { GET as getStatus } from "./status/route";

setUpTestDatabase();
process.env.KEELWATCH_SECRET_KEY = "route-test-key";
delete process.env.KEELWATCH_PUBLIC_URL;

let admin: { cookie: string };
let analyst: { cookie: string };
const receiver = await startHttpReceiver();
const SECRET_URL = `${receiver.url}/hooks/T0/B0/xoxb-very-secret`;

beforeAll(async () => {
  admin = await signedInUser("notify-admin", "admin");
  analyst = await signedInUser("notify-analyst", "analyst");
});
afterAll(() => receiver.close());

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const write = (path: string, method: string, cookie: string, body?: unknown) =>
  apiRequest(path, { method, cookie, origin: TEST_ORIGIN, body });

describe("notification channels API", () => {
  let channelId = "";

  it("lets only admins manage channels", async () => {
    expect((await listChannels(apiRequest("/api/notifications/channels", { cookie: analyst.cookie }))).status).toBe(
      403,
    );
    const refused = await createChannel(
      write("/api/notifications/channels", "POST", analyst.cookie, { name: "x", kind: "slack", url: SECRET_URL }),
    );
    expect(refused.status).toBe(403);
    expect(await prisma().notificationChannel.count()).toBe(0);
  });

  it("names the field that is wrong", async () => {
    const response = await createChannel(
      write("/api/notifications/channels", "POST", admin.cookie, {
        name: "hook",
        kind: "webhook",
        url: "ftp://example.com",
        headers: { "X-Keelwatch-Signature": "forged" },
      }),
    );
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.details).toEqual(
      expect.arrayContaining([
        { field: "url", message: "must be an http:// or https:// URL" },
        { field: "headers.X-Keelwatch-Signature", message: "is set by Keelwatch itself" },
      ]),
    );
  });

  it("creates a channel, audits it and never answers with its secrets", async () => {
    const response = await createChannel(
      write("/api/notifications/channels", "POST", admin.cookie, {
        name: "soc",
        kind: "webhook",
        url: SECRET_URL,
        hmacSecret: "sixteen-chars-or-more",
        headers: { Authorization: "Bearer header-secret" },
      }),
    );
    expect(response.status).toBe(201);
    const text = await response.text();
    for (const secret of ["xoxb-very-secret", "sixteen-chars-or-more", "header-secret"])
      expect(text).not.toContain(secret);
    const { channel } = JSON.parse(text);
    channelId = channel.id;
    expect(channel).toMatchObject({
      name: "soc",
      kind: "webhook",
      state: "ok",
      target: new URL(receiver.url).host,
      secretsSet: { url: true, hmacSecret: true, password: false, headers: ["Authorization"] },
    });
    const listed = await (
      await listChannels(apiRequest("/api/notifications/channels", { cookie: admin.cookie }))
    ).text();
    expect(listed).not.toContain("xoxb-very-secret");
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: "notification_channel.create" } });
    expect(audit).toMatchObject({ actorLabel: "notify-admin", targetId: channelId });
    expect(audit.details).not.toContain("xoxb");

    const duplicate = await createChannel(
      write("/api/notifications/channels", "POST", admin.cookie, { name: "soc", kind: "slack", url: SECRET_URL }),
    );
    expect(duplicate.status).toBe(409);
  });

  it("keeps stored secrets that a change leaves out, and clears one set to null", async () => {
    const response = await patchChannel(
      write(`/api/notifications/channels/${channelId}`, "PATCH", admin.cookie, {
        name: "soc-renamed",
        hmacSecret: null,
      }),
      params(channelId),
    );
    expect(response.status).toBe(200);
    const { channel } = await response.json();
    expect(channel).toMatchObject({ name: "soc-renamed", secretsSet: { url: true, hmacSecret: false } });
    const read = await getChannel(
      apiRequest(`/api/notifications/channels/${channelId}`, { cookie: admin.cookie }),
      params(channelId),
    );
    expect((await read.json()).channel.name).toBe("soc-renamed");
  });

  it("sends a test message to a real receiver, with the idempotency key and the delivery logged", async () => {
    const response = await testChannel(
      write(`/api/notifications/channels/${channelId}/test`, "POST", admin.cookie),
      params(channelId),
    );
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null });
    const request = receiver.requests.at(-1);
    expect(request?.path).toBe("/hooks/T0/B0/xoxb-very-secret");
    expect(request?.headers["idempotency-key"]).toBe(result.deliveryId);
    expect(request?.headers.authorization).toBe("Bearer header-secret");
    expect(JSON.parse(request?.body ?? "{}")).toMatchObject({
      type: "test",
      deliveryId: result.deliveryId,
      alerts: [],
    });
    const delivery = await prisma().notificationDelivery.findUniqueOrThrow({ where: { id: result.deliveryId } });
    expect(delivery).toMatchObject({ kind: "test", status: "delivered", attempts: 1 });
  });

  it("answers a failed test with its error, without retrying it", async () => {
    receiver.answerWith(() => 500);
    const response = await testChannel(
      write(`/api/notifications/channels/${channelId}/test`, "POST", admin.cookie),
      params(channelId),
    );
    receiver.answerWith(() => 200);
    const result = await response.json();
    expect(result).toMatchObject({ ok: false, statusCode: 500, error: expect.stringContaining("HTTP 500") });
    const delivery = await prisma().notificationDelivery.findUniqueOrThrow({ where: { id: result.deliveryId } });
    expect(delivery.status).toBe("failed");
  });

  it("answers 404 for an unknown channel", async () => {
    expect(
      (await testChannel(write("/api/notifications/channels/nope/test", "POST", admin.cookie), params("nope"))).status,
    ).toBe(404);
    expect(
      (await deleteChannel(write("/api/notifications/channels/nope", "DELETE", admin.cookie), params("nope"))).status,
    ).toBe(404);
  });
});

describe("notification rules, settings, status and the delivery log", () => {
  it("creates, changes and deletes a rule, refusing unknown channels", async () => {
    const channel = await prisma().notificationChannel.findFirstOrThrow();
    const unknown = await createRule(
      write("/api/notifications/rules", "POST", admin.cookie, { name: "r", channelIds: ["missing"] }),
    );
    expect(unknown.status).toBe(400);
    const created = await createRule(
      write("/api/notifications/rules", "POST", admin.cookie, {
        name: "high and critical",
        minSeverity: "high",
        containerPattern: "web-*",
        throttleMinutes: 5,
        channelIds: [channel.id],
      }),
    );
    expect(created.status).toBe(201);
    const { rule } = await created.json();
    expect(rule).toMatchObject({ minSeverity: "high", detectionRules: [], tags: [], channelIds: [channel.id] });

    const patched = await patchRule(
      write(`/api/notifications/rules/${rule.id}`, "PATCH", admin.cookie, { enabled: false }),
      params(rule.id),
    );
    expect((await patched.json()).rule).toMatchObject({ enabled: false, minSeverity: "high", throttleMinutes: 5 });
    const listed = await (await listRules(apiRequest("/api/notifications/rules", { cookie: admin.cookie }))).json();
    expect(listed.rules).toHaveLength(1);
    expect(
      (await deleteRule(write(`/api/notifications/rules/${rule.id}`, "DELETE", admin.cookie), params(rule.id))).status,
    ).toBe(200);
  });

  it("stores the public URL that message links use", async () => {
    const bad = await putSettings(write("/api/notifications/settings", "PUT", admin.cookie, { publicUrl: "nope" }));
    expect(bad.status).toBe(400);
    const response = await putSettings(
      write("/api/notifications/settings", "PUT", admin.cookie, { publicUrl: "https://kw.example.org" }),
    );
    expect((await response.json()).publicUrl).toEqual({
      effective: "https://kw.example.org",
      stored: "https://kw.example.org",
      fromEnvironment: false,
    });
    expect((await getSettings(apiRequest("/api/notifications/settings", { cookie: analyst.cookie }))).status).toBe(403);
  });

  it("shows a failing channel to analysts and an alert's deliveries in its log", async () => {
    receiver.answerWith(() => 503);
    const channel = await prisma().notificationChannel.findFirstOrThrow();
    await createRule(
      write("/api/notifications/rules", "POST", admin.cookie, { name: "all", channelIds: [channel.id] }),
    );
    const detection = await seedRule(prisma());
    const alert = await seedAlert(prisma(), { ruleId: detection.id, eventIds: [] });
    const options = { ...senderOptionsFromEnv(), backoffMs: 1, maxBackoffMs: 1 };
    for (let i = 0; i < 6; i++) {
      await runSenderRound(options);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    receiver.answerWith(() => 200);

    const status = await (await getStatus(apiRequest("/api/notifications/status", { cookie: analyst.cookie }))).json();
    expect(status.failing).toEqual([
      expect.objectContaining({ id: channel.id, lastError: expect.stringContaining("HTTP 503") }),
    ]);
    const log = await (
      await listDeliveries(apiRequest(`/api/notifications/deliveries?alertId=${alert.id}`, { cookie: analyst.cookie }))
    ).json();
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]).toMatchObject({
      channel: { id: channel.id },
      notificationRule: { name: "all" },
      status: "pending",
    });
    expect(log.deliveries[0].attemptLog.length).toBeGreaterThanOrEqual(3);
    expect(log.deliveries[0].attemptLog[0]).toMatchObject({ ok: false, statusCode: 503 });
    const missing = await listDeliveries(apiRequest("/api/notifications/deliveries", { cookie: analyst.cookie }));
    expect(missing.status).toBe(400);
  });
});
