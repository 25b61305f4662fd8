/**
 * Notifications survive kill -9: the real server (production build) raises
 * over 1,000 alerts while the webhook receiver is down, is killed before it
 * has sent them, started again, killed again while it is sending, and started
 * once more. In the end the receiver (a real HTTP server in this process) must
 * have every alert, and a message that arrived twice must be recognisable as a
 * repeat: same idempotency key, same alert.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ReceivedRequest, startHttpReceiver } from "@/lib/notify/test-receivers";
import { writeUploadFiles } from "./events";
import { KeelwatchServer, prepareTestDatabase, sleep, withDatabase } from "./server";

const SEED = 0x0babe;
/** About 3% of the generated events fire one of the built-in rules: 40,000 events give well over 1,000 alerts. */
const FILES = 20;
const EVENTS_PER_FILE = 2_000;
const WANTED_ALERTS = 1_000;
const LEASE_MS = 5_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-notify-"));
const dbFile = path.join(dir, "server", "keelwatch.db");
const server = new KeelwatchServer({
  dbFile,
  env: {
    NODE_ENV: "production",
    KEELWATCH_SECRET_KEY: "stress-notifications",
    KEELWATCH_PUBLIC_URL: "https://keelwatch.stress.example",
    KEELWATCH_NOTIFY_BACKOFF_MS: "200",
    KEELWATCH_NOTIFY_MAX_BACKOFF_MS: "1000",
    // Work claimed by a killed server is taken over when its lease runs out (60 s by default).
    KEELWATCH_NOTIFY_LEASE_MS: String(LEASE_MS),
  },
});

afterAll(async () => {
  await server.kill();
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let receiver: Awaited<ReturnType<typeof startHttpReceiver>> | null = null;

async function api(method: string, route: string, token: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, { id: string }>;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

function counts() {
  return withDatabase(dbFile, (db) => ({
    alerts: db.prepare(`SELECT count(*) FROM "Alert"`).pluck().get() as number,
    queued: db.prepare(`SELECT count(*) FROM "NotificationOutbox"`).pluck().get() as number,
    delivered: db
      .prepare(`SELECT count(*) FROM "NotificationDelivery" WHERE "kind" = 'alert' AND "status" = 'delivered'`)
      .pluck()
      .get() as number,
  }));
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${server.output.slice(-20).join("\n")}`);
    await sleep(250);
  }
}

/** The alert each request was about, by its idempotency key. */
function alertsByKey(requests: ReceivedRequest[]) {
  const byKey = new Map<string, Set<string>>();
  for (const request of requests) {
    const key = String(request.headers["idempotency-key"]);
    const body = JSON.parse(request.body) as { deliveryId: string; type: string; alerts: { id: string }[] };
    expect(body.deliveryId).toBe(key);
    expect(body.type).toBe("alert");
    const ids = byKey.get(key) ?? new Set<string>();
    for (const alert of body.alerts) ids.add(alert.id);
    byKey.set(key, ids);
  }
  return byKey;
}

describe("notifications across kill -9", () => {
  it("delivers every one of over 1,000 queued notifications after two kills, repeats marked by their key", {
    timeout: 420_000,
  }, async () => {
    const token = prepareTestDatabase(dbFile, "admin");
    const files = writeUploadFiles(path.join(dir, "uploads"), FILES, EVENTS_PER_FILE, SEED);
    receiver = await startHttpReceiver(() => 503);
    await server.start();

    const { channel } = await api("POST", "/api/notifications/channels", token, {
      kind: "webhook",
      name: "stress receiver",
      url: `${receiver.url}/hook`,
      hmacSecret: "stress-shared-secret",
    });
    await api("POST", "/api/notifications/rules", token, { name: "every alert", channelIds: [channel?.id] });

    // The receiver is down while the alerts come in: nothing can be delivered.
    for (const file of files) {
      const response = await fetch(`${server.baseUrl}/api/events?filename=${path.basename(file)}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
        body: fs.readFileSync(file),
      });
      expect(response.status).toBe(200);
    }
    await server.kill();
    const afterUpload = counts();
    console.log(`notifications stress: killed after the uploads: ${JSON.stringify(afterUpload)}`);
    expect(afterUpload.alerts).toBeGreaterThanOrEqual(WANTED_ALERTS);
    expect(afterUpload.delivered).toBe(0);

    // Up again with the receiver back: kill it once more while it is sending.
    receiver.answerWith(() => 200);
    await server.start();
    await waitFor("the first deliveries", () => (receiver?.requests.length ?? 0) >= 150, 120_000);
    await server.kill();
    const cutOff = counts();
    console.log(
      `notifications stress: killed while sending: ${JSON.stringify(cutOff)}, ${receiver.requests.length} received`,
    );
    expect(cutOff.delivered).toBeLessThan(afterUpload.alerts);

    await server.start();
    await waitFor(
      "every alert delivered",
      () => {
        const now = counts();
        return now.queued === 0 && now.delivered === afterUpload.alerts;
      },
      180_000,
    );

    const alertIds = withDatabase(dbFile, (db) => db.prepare(`SELECT "id" FROM "Alert"`).pluck().all() as string[]);
    const requests = receiver.requests.filter((request) => request.headers["x-keelwatch-event"] === "alert");
    const byKey = alertsByKey(requests);
    // Every alert arrived, each under exactly one key, and a key never names two alerts.
    const received = new Set([...byKey.values()].flatMap((ids) => [...ids]));
    expect(received).toEqual(new Set(alertIds));
    expect(byKey.size).toBe(alertIds.length);
    for (const ids of byKey.values()) expect(ids.size).toBe(1);
    const repeats = requests.length - byKey.size;
    console.log(
      `notifications stress: ${alertIds.length} alerts, ${requests.length} requests received, ${repeats} repeats ` +
        `(recognised by their key), ${cutOff.delivered} recorded delivered before the second kill`,
    );
  });
});
