/**
 * Two instances on one PostgreSQL database running their background work at
 * once (issue 22): retention, the event store's upkeep, the upload lease
 * sweep and the notification sender, each started by both servers at start-up
 * as in production, with short intervals and leases. Throughout, no
 * transaction of the database deadlocks and no upload is marked interrupted by
 * the other instance's sweep.
 *
 * 1. Retention: events uploaded through each instance, then half of the
 *    uploads' blocks aged past KEELWATCH_RETENTION_DAYS. Both instances' next
 *    passes are made to meet on the same block (a session holds that block's
 *    events until both wait for it), then run on together. Afterwards exactly
 *    the expired events are gone, every alert's evidence reads as before, the
 *    other blocks are untouched, the logs hold no error, no transaction
 *    deadlocked, and `keelwatch db status` and both instances' storage API
 *    agree with the rows.
 * 2. Notifications: a webhook channel for every alert and a throttled one, set
 *    up through the API, and alerts raised through both instances while the
 *    receiver first fails, then answers slowly. Every alert is accepted by the
 *    receiver exactly once per channel: on the throttled channel one message
 *    per rule and container opened its window and one digest carries the rest.
 * 3. kill -9: one instance is frozen (SIGSTOP) while the other raises alerts
 *    and sends into a receiver that holds every request; that one is killed
 *    with four requests in flight, the receiver recovers and the frozen one
 *    resumes. It delivers everything, the deliveries the dead instance had
 *    claimed only once their lease ran out. The repeats allowed, and found,
 *    are exactly the requests the dead instance had sent without hearing the
 *    answer: at-least-once delivery cannot tell those from lost ones, so they
 *    go again, once each, under the same idempotency key.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseDeadlocks, waitForLockWaits } from "@/lib/db/dialect/postgresql/lock-waits";
import { unpackBlock } from "@/lib/db/events/block-codec.mjs";
import type { StorageSummary } from "@/lib/db/events/storage-summary";
import { throttleKeyOf } from "@/lib/notify/matching";
import { type WebhookPayload, WebhookPayloadSchema } from "@/lib/notify/message";
import { type ReceivedRequest, startHttpReceiver } from "@/lib/notify/test-receivers";
import { writeUploadFiles } from "./events";
import { addPostgresApiToken, type Instances, startInstances, withPostgres } from "./postgresql";
import { freePort, type KeelwatchServer, ROOT, sleep } from "./server";

const SEED = 0x22c;
/** Claims of notification work last this long: a killed instance's claims are taken over after it. */
const NOTIFY_LEASE_MS = 4_000;
/** Well under the lease, but a batch of 50 sent four at a time takes longer than the lease (13 × 400 ms). */
const RECEIVER_DELAY_MS = 400;
const RETENTION_DAYS = 1;
const UPKEEP_INTERVAL_MS = 500;
/** Upload leases renewed every 1.25 s and swept for every 2.5 s by both instances while the other one uploads. */
const UPLOAD_LEASE_MS = 5_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-pg-upkeep-"));
let instances: Instances | null = null;
let receiver: Awaited<ReturnType<typeof startHttpReceiver>> | null = null;
let token = "";

beforeAll(async () => {
  instances = await startInstances(2, () => ({
    env: {
      KEELWATCH_RETENTION_DAYS: String(RETENTION_DAYS),
      KEELWATCH_UPKEEP_INTERVAL_MS: String(UPKEEP_INTERVAL_MS),
      KEELWATCH_UPLOAD_LEASE_MS: String(UPLOAD_LEASE_MS),
      KEELWATCH_NOTIFY_LEASE_MS: String(NOTIFY_LEASE_MS),
      KEELWATCH_NOTIFY_POLL_MS: "200",
      KEELWATCH_NOTIFY_BACKOFF_MS: "200",
      KEELWATCH_NOTIFY_MAX_BACKOFF_MS: "1000",
      KEELWATCH_PUBLIC_URL: "https://keelwatch.stress.example",
    },
  }));
  token = await addPostgresApiToken(instances.url, "admin");
});

afterAll(async () => {
  for (const server of instances?.servers ?? []) await server.kill();
  await receiver?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function servers(): [KeelwatchServer, KeelwatchServer] {
  const [first, second] = instances?.servers ?? [];
  if (!first || !second) throw new Error("the instances did not start");
  return [first, second];
}

async function api<T>(server: KeelwatchServer, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Uploads a file through `server`; its upload id. */
async function upload(server: KeelwatchServer, file: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/events?filename=${path.basename(file)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body: fs.readFileSync(file),
  });
  const report = (await response.json()) as { uploadId: string; events: { rejected: number } };
  expect(response.status, JSON.stringify(report)).toBe(200);
  expect(report.events.rejected).toBe(0);
  return report.uploadId;
}

/**
 * Files through the two instances in turn, one at a time: the background work runs on both while they store. (Both
 * storing batches at once is stress/pg-two-instances-pushes.stress.ts's subject; their batches can deadlock on shared
 * Process rows, which would blur this test's check that the background work never deadlocks.) Upload ids in order.
 */
async function uploadThroughEach(files: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, file] of files.entries()) ids.push(await upload(servers()[index % 2] as KeelwatchServer, file));
  return ids;
}

/** Files of ordinary file-open events that no rule fires on: blocks with no evidence, which retention deletes. */
function writeQuietFiles(count: number, events: number): string[] {
  const folder = path.join(dir, "quiet");
  fs.mkdirSync(folder, { recursive: true });
  return Array.from({ length: count }, (_, file) => {
    const lines = Array.from({ length: events }, (_, line) =>
      JSON.stringify({
        "@timestamp": new Date(Date.UTC(2026, 11, 6, 8, file, line % 60, line)).toISOString(),
        event: { kind: "event", category: ["file"], type: ["access"], action: "open" },
        file: { path: `/var/log/app/${file}-${line}.log` },
        container: { id: `quiet${String(file).padStart(8, "0")}` },
        host: { name: "node-quiet" },
      }),
    );
    const name = path.join(folder, `quiet-${file}.ndjson`);
    fs.writeFileSync(name, `${lines.join("\n")}\n`);
    return name;
  });
}

async function waitFor(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) {
      const logs = servers().map((server, index) => `instance ${index + 1}:\n${server.output.slice(-15).join("\n")}`);
      throw new Error(`timed out waiting for ${what}\n${logs.join("\n")}`);
    }
    await sleep(250);
  }
}

/** Lines of either instance's log that report a failure. */
function errorLines(): string[] {
  return servers().flatMap((server, index) =>
    server.output.filter((line) => /error|fail|deadlock/i.test(line)).map((line) => `instance ${index + 1}: ${line}`),
  );
}

/** Transactions of the test's database that ended in a deadlock since it was made: none may. */
function deadlocks(url: string): Promise<number> {
  return withPostgres(url, (client) => databaseDeadlocks(client));
}

/** Every upload stored whole: none marked interrupted by the other instance's lease sweep while it was received. */
async function uploadStatuses(url: string): Promise<Record<string, number>> {
  return withPostgres(url, async (client) => {
    const { rows } = await client.query<{ status: string; n: string }>(
      `SELECT "status", count(*) AS "n" FROM "Upload" GROUP BY "status"`,
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  });
}

interface StoredEventRow {
  id: number;
  blockId: number;
  position: number;
  evidence: boolean;
}

interface BlockRow {
  id: number;
  uploadId: string;
  codec: string;
  data: Buffer;
  checksum: number;
  count: number;
  liveCount: number;
  rawBytes: number;
}

/** Every event's place and whether an alert links it, every block, and the documents of the events asked for. */
async function eventStore(client: pg.Client, documentsOf: (event: StoredEventRow) => boolean = () => false) {
  const events = (
    await client.query<StoredEventRow>(
      `SELECT e."id", e."blockId", e."position",
         EXISTS (SELECT 1 FROM "AlertEvent" a WHERE a."eventId" = e."id") AS "evidence"
       FROM "Event" e ORDER BY e."id"`,
    )
  ).rows;
  const blocks = new Map(
    (
      await client.query<BlockRow>(
        `SELECT "id", "uploadId", "codec", "data", "checksum", "count", "liveCount", "rawBytes" FROM "EventBlock"`,
      )
    ).rows.map((block) => [block.id, block]),
  );
  const documents = new Map<number, string | null>();
  for (const event of events.filter(documentsOf)) {
    const block = blocks.get(event.blockId);
    documents.set(event.id, block ? unpackBlock(block).document(event.position) : null);
  }
  return { events, blocks, documents };
}

/** `keelwatch db status`'s totals, as an operator runs it beside the instances. */
async function dbStatusTotals(url: string): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(path.join(ROOT, "bin", "keelwatch"), ["db", "status"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" },
  });
  const totals: Record<string, number> = {};
  for (const line of stdout.split("\n")) {
    const match = /^([a-z_]+) (\d+)$/.exec(line.trim());
    if (match?.[1] && match[2]) totals[match[1]] = Number(match[2]);
  }
  return totals;
}

/** Sums the "retention removed N events" lines an instance logged (one per pass that removed any). */
function removedByRetention(server: KeelwatchServer): number {
  let removed = 0;
  for (const line of server.output) {
    const match = /retention removed (\d+) events/.exec(line);
    if (match) removed += Number(match[1]);
  }
  return removed;
}

describe("two instances on one PostgreSQL database: background work on both at once", () => {
  it("retention on both instances removes exactly the expired events, keeps the evidence, and the counts agree", async () => {
    const { url } = instances ?? { url: "" };
    const alerting = writeUploadFiles(path.join(dir, "alerting"), 8, 300, SEED);
    const quiet = writeQuietFiles(4, 200);
    // Pairs of an alerting file (its blocks keep their evidence) and a quiet one (its blocks go whole), every other
    // pair to be aged past the retention: old and new blocks alternate in id order.
    const plan = alerting.flatMap((file, pair) =>
      [file, quiet[pair]].filter((name) => name !== undefined).map((name) => ({ file: name, old: pair % 2 === 0 })),
    );
    const uploadIds = await uploadThroughEach(plan.map((entry) => entry.file));
    const oldUploads = uploadIds.filter((_, index) => plan[index]?.old);

    await withPostgres(url, async (client) => {
      const before = await eventStore(client, (event) => event.evidence);
      const blocksOf = (uploads: string[]) =>
        [...before.blocks.values()].filter((block) => uploads.includes(block.uploadId)).map((block) => block.id);
      const oldBlocks = new Set(blocksOf(oldUploads));
      const expired = before.events.filter((event) => oldBlocks.has(event.blockId) && !event.evidence);
      const evidenceInOld = before.events.filter((event) => oldBlocks.has(event.blockId) && event.evidence);
      expect(expired.length).toBeGreaterThan(0);
      expect(evidenceInOld.length).toBeGreaterThan(0);
      const alertLinks = Number((await client.query(`SELECT count(*) AS "n" FROM "AlertEvent"`)).rows[0]?.n);

      // Both instances' next passes take the oldest expired block first. A session holding its events makes the
      // first pass wait there, and the second wait for the first: once two sessions wait, both instances are inside
      // a retention step on one block at once, and it is released.
      const first = Math.min(...oldBlocks);
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query("BEGIN");
        await holder.query(`SELECT "id" FROM "Event" WHERE "blockId" = $1 FOR UPDATE`, [first]);
        await client.query(
          `UPDATE "EventBlock" SET "createdAt" = now() - make_interval(days => $2) WHERE "uploadId" = ANY($1)`,
          [oldUploads, RETENTION_DAYS + 1],
        );
        await waitForLockWaits(client, { count: 2 });
        await holder.query("COMMIT");
      } finally {
        await holder.end();
      }

      const [one, two] = servers();
      await waitFor(
        "both instances' retention passes",
        () => removedByRetention(one) + removedByRetention(two) >= expired.length,
      );
      console.log(
        `retention on two instances: ${expired.length} events of ${oldBlocks.size} blocks expired, removed ` +
          `${removedByRetention(one)} by instance 1 and ${removedByRetention(two)} by instance 2`,
      );
      expect(removedByRetention(one) + removedByRetention(two)).toBe(expired.length);

      const after = await eventStore(client, (event) => event.evidence);
      const gone = new Set(expired.map((event) => event.id));
      expect(after.events).toEqual(before.events.filter((event) => !gone.has(event.id)));
      // Every alert's evidence is still linked and reads as before, at its position in its re-packed block.
      expect(Number((await client.query(`SELECT count(*) AS "n" FROM "AlertEvent"`)).rows[0]?.n)).toBe(alertLinks);
      expect(after.documents).toEqual(before.documents);
      for (const block of before.blocks.values()) {
        const now = after.blocks.get(block.id);
        const evidence = evidenceInOld.filter((event) => event.blockId === block.id).length;
        if (!oldBlocks.has(block.id)) expect(now, `block ${block.id} is not expired`).toEqual(block);
        else if (evidence === 0) expect(now, `block ${block.id} held no evidence`).toBeUndefined();
        else expect(now).toMatchObject({ count: block.count, liveCount: evidence });
      }

      // The counts agree: the rows, `keelwatch db status` and both instances' storage API.
      const rows = (
        await client.query<{ events: string; blocks: string; bytes: string; raw: string; alerts: string }>(
          `SELECT (SELECT count(*) FROM "Event") AS "events", (SELECT count(*) FROM "EventBlock") AS "blocks",
             (SELECT sum(octet_length("data")) FROM "EventBlock") AS "bytes",
             (SELECT sum("rawBytes") FROM "EventBlock") AS "raw", (SELECT count(*) FROM "Alert") AS "alerts"`,
        )
      ).rows[0];
      const counted = {
        events: Number(rows?.events),
        blocks: Number(rows?.blocks),
        block_bytes: Number(rows?.bytes),
        block_raw_bytes: Number(rows?.raw),
        alerts: Number(rows?.alerts),
      };
      expect(counted.events).toBe(after.events.length);
      expect(await dbStatusTotals(url)).toMatchObject(counted);
      const summaries = await Promise.all(
        servers().map((server) => api<StorageSummary>(server, "GET", "/api/system/storage")),
      );
      for (const { diskBytes: _disk, ...summary } of summaries) {
        const { diskBytes: _first, ...firstSummary } = summaries[0] as StorageSummary;
        expect(summary).toEqual(firstSummary);
        expect(summary).toMatchObject({
          eventsKept: counted.events,
          blocks: counted.blocks,
          blockBytes: counted.block_bytes,
          rawBytes: counted.block_raw_bytes,
          eventsNotInBlocks: 0,
        });
      }
    });
    expect(await uploadStatuses(url)).toEqual({ done: plan.length });
    expect(await deadlocks(url)).toBe(0);
    expect(errorLines()).toEqual([]);
  });

  it("delivers every alert raised through both instances once per channel, throttled ones once or in one digest", async () => {
    const { url } = instances ?? { url: "" };
    const [one, two] = servers();
    /** What the receiver answered each request with, by request number (from 1). */
    const answered = new Map<number, number>();
    // The receiver is down while the alerts come in, so that they wait together, and then slow: the instances claim
    // deliveries by the batch, which takes longer to send than a claim lasts.
    let failing = true;
    receiver = await startHttpReceiver(
      async (n) => {
        const status = failing ? 503 : 200;
        if (status === 200) await sleep(RECEIVER_DELAY_MS);
        answered.set(n, status);
        return status;
      },
      await freePort(),
    );
    const { channel: every } = await api<{ channel: { id: string } }>(one, "POST", "/api/notifications/channels", {
      kind: "webhook",
      name: "every alert",
      url: `${receiver.url}/every`,
    });
    const { channel: throttled } = await api<{ channel: { id: string } }>(two, "POST", "/api/notifications/channels", {
      kind: "webhook",
      name: "throttled",
      url: `${receiver.url}/throttled`,
    });
    await api(one, "POST", "/api/notifications/rules", { name: "every alert", channelIds: [every.id] });
    const { rule: throttleRule } = await api<{ rule: { id: string } }>(two, "POST", "/api/notifications/rules", {
      name: "one a container every 10 minutes",
      throttleMinutes: 10,
      channelIds: [throttled.id],
    });

    const earlier = await withPostgres(url, async (client) =>
      (await client.query<{ id: string }>(`SELECT "id" FROM "Alert"`)).rows.map((row) => row.id),
    );
    await uploadThroughEach(writeUploadFiles(path.join(dir, "notify"), 6, 400, SEED + 1));
    const alertIds = await withPostgres(url, async (client) =>
      (await client.query<{ id: string }>(`SELECT "id" FROM "Alert" WHERE NOT ("id" = ANY($1))`, [earlier])).rows.map(
        (row) => row.id,
      ),
    );
    expect(alertIds.length).toBeGreaterThan(60);

    const queue = () =>
      withPostgres(url, async (client) => {
        const { rows } = await client.query<{ outbox: string; pending: string; held: string }>(
          `SELECT (SELECT count(*) FROM "NotificationOutbox") AS "outbox",
             (SELECT count(*) FROM "NotificationDelivery" WHERE "status" = 'pending') AS "pending",
             (SELECT count(*) FROM "NotificationDelivery" WHERE "status" = 'held') AS "held"`,
        );
        return { outbox: Number(rows[0]?.outbox), pending: Number(rows[0]?.pending), held: Number(rows[0]?.held) };
      });
    await waitFor("every alert routed, and the receiver refusing them", async () => {
      const now = await queue();
      return now.outbox === 0 && answered.size > 0;
    });
    failing = false;
    await waitFor("every alert sent, or held for its digest", async () => {
      const now = await queue();
      return now.outbox === 0 && now.pending === 0;
    });
    // The windows end (moved into the past rather than waiting ten minutes): both instances gather the digests.
    const held = (await queue()).held;
    expect(held).toBeGreaterThan(0);
    await withPostgres(url, async (client) => {
      await client.query(`UPDATE "NotificationThrottle" SET "windowEndsAt" = now() - interval '1 second'`);
      await client.query(
        `UPDATE "NotificationDelivery" SET "nextAttemptAt" = now() - interval '1 second' WHERE "status" = 'held'`,
      );
    });
    await waitFor("the digests sent", async () => {
      const now = await queue();
      return now.outbox === 0 && now.pending === 0 && now.held === 0;
    });

    const accepted = receiver.requests.filter((_, index) => answered.get(index + 1) === 200);
    const refused = receiver.requests.length - accepted.length;
    expect(refused, "the receiver failed at first").toBeGreaterThan(0);
    const payloads = (channel: string) =>
      accepted
        .filter((request) => request.path === channel)
        .map((request) => ({ request, payload: WebhookPayloadSchema.parse(JSON.parse(request.body)) }));

    // The channel for every alert: each alert accepted once, under a key of its own.
    const everyAlert = payloads("/every");
    expect(everyAlert.every(({ payload }) => payload.type === "alert" && payload.alerts.length === 1)).toBe(true);
    const sentAlerts = everyAlert.map(({ payload }) => payload.alerts[0]?.id);
    expect([...sentAlerts].sort()).toEqual([...alertIds].sort());
    expect(new Set(everyAlert.map(({ request }) => request.headers["idempotency-key"])).size).toBe(alertIds.length);

    // The throttled channel: per rule and container, one alert message (the window's first) and one digest of the
    // rest; every alert in exactly one of them.
    const throttledMessages = payloads("/throttled").map(({ payload }) => payload);
    const byWindow = new Map<string, WebhookPayload[]>();
    for (const payload of throttledMessages) {
      const keys = new Set(
        payload.alerts.map((alert) =>
          throttleKeyOf(throttleRule.id, { ...alert, uploadId: null, sourceTokenId: null }),
        ),
      );
      expect(keys.size, "a message covers one window").toBe(1);
      const [key] = keys;
      byWindow.set(key ?? "", [...(byWindow.get(key ?? "") ?? []), payload]);
    }
    for (const [key, messages] of byWindow) {
      const kinds = messages.map((message) => message.type).sort();
      expect(kinds, `messages of window ${key}`).toEqual(kinds.length === 1 ? ["alert"] : ["alert", "digest"]);
    }
    const inThrottled = throttledMessages.flatMap((payload) => payload.alerts.map((alert) => alert.id));
    expect(inThrottled.sort()).toEqual([...alertIds].sort());
    const digests = throttledMessages.filter((message) => message.type === "digest");
    expect(digests.reduce((sum, digest) => sum + (digest.digest?.count ?? 0), 0)).toBe(held);

    // Nothing was sent twice: one successful attempt per delivery.
    await withPostgres(url, async (client) => {
      const twice = await client.query(
        `SELECT "deliveryId" FROM "NotificationAttempt" WHERE "ok" GROUP BY "deliveryId" HAVING count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);
    });
    console.log(
      `notifications on two instances: ${alertIds.length} alerts, ${receiver.requests.length} requests ` +
        `(${refused} refused), ${byWindow.size} throttle windows, ${digests.length} digests of ${held} held alerts`,
    );
    expect(await deadlocks(url)).toBe(0);
    expect(errorLines()).toEqual([]);
  });

  it("after kill -9 of an instance with deliveries claimed, the other delivers them once their lease has run out", async () => {
    const { url } = instances ?? { url: "" };
    const [survivor, victim] = servers();
    const hook = receiver;
    if (!hook) throw new Error("the receiver of the previous test is gone");
    // The throttled rule is switched off: this part is about leases.
    const rules = await api<{ rules: { id: string; name: string }[] }>(survivor, "GET", "/api/notifications/rules");
    for (const rule of rules.rules.filter((rule) => rule.name !== "every alert")) {
      await api(survivor, "PATCH", `/api/notifications/rules/${rule.id}`, { enabled: false });
    }

    // The receiver holds every request until released.
    const waiting = new Map<number, () => void>();
    let holding = true;
    hook.answerWith(async (n) => {
      if (holding) await new Promise<void>((resolve) => waiting.set(n, resolve));
      return 200;
    });
    const requestsBefore = hook.requests.length;
    const earlier = await withPostgres(url, async (client) =>
      (await client.query<{ id: string }>(`SELECT "id" FROM "Alert"`)).rows.map((row) => row.id),
    );

    // The survivor is frozen, so every claim made meanwhile is the victim's. The victim's round claims the due
    // deliveries and sends four at a time: with the receiver holding them, it stays in that round.
    survivor.pause();
    let killedAt: Date;
    let claimed: { id: string; claimedUntil: Date }[] = [];
    let inFlight: string[];
    try {
      await upload(victim, writeUploadFiles(path.join(dir, "kill"), 1, 1_000, SEED + 2)[0] ?? "");
      const claims = () =>
        withPostgres(url, async (client) => {
          const { rows } = await client.query<{ id: string; claimedUntil: Date }>(
            `SELECT "id", "claimedUntil" FROM "NotificationDelivery" WHERE "status" = 'pending' AND "claimedUntil" > now()`,
          );
          return rows;
        });
      await waitFor("the victim's sends in flight", async () => {
        claimed = await claims();
        return claimed.length > 0 && waiting.size === Math.min(4, claimed.length);
      });
      inFlight = [...waiting.keys()].map((n) => String(hook.requests[n - 1]?.headers["idempotency-key"]));
      await victim.kill();
      killedAt = new Date();
    } finally {
      holding = false;
      for (const release of waiting.values()) release();
      survivor.resume();
    }
    // What the victim had claimed and not finished includes its sends in flight.
    expect(claimed.map((row) => row.id)).toEqual(expect.arrayContaining(inFlight));

    const alertIds = await withPostgres(url, async (client) =>
      (await client.query<{ id: string }>(`SELECT "id" FROM "Alert" WHERE NOT ("id" = ANY($1))`, [earlier])).rows.map(
        (row) => row.id,
      ),
    );
    expect(alertIds.length).toBeGreaterThan(4);
    await waitFor("every alert delivered by the survivor", () =>
      withPostgres(url, async (client) => {
        const { rows } = await client.query<{ open: string }>(
          `SELECT (SELECT count(*) FROM "NotificationOutbox") +
             (SELECT count(*) FROM "NotificationDelivery" WHERE "status" <> 'delivered' AND "alertId" = ANY($1))
           AS "open"`,
          [alertIds],
        );
        return Number(rows[0]?.open) === 0;
      }),
    );

    const requests: ReceivedRequest[] = hook.requests.slice(requestsBefore);
    const keysByAlert = new Map<string, Set<string>>();
    const times = new Map<string, number>();
    for (const request of requests) {
      const key = String(request.headers["idempotency-key"]);
      times.set(key, (times.get(key) ?? 0) + 1);
      const [alert] = WebhookPayloadSchema.parse(JSON.parse(request.body)).alerts;
      keysByAlert.set(alert?.id ?? "", new Set([...(keysByAlert.get(alert?.id ?? "") ?? []), key]));
    }
    // Every alert arrived, under one key; the repeats are exactly the requests the victim had in flight, once each.
    expect([...keysByAlert.keys()].sort()).toEqual([...alertIds].sort());
    for (const keys of keysByAlert.values()) expect(keys.size).toBe(1);
    const repeated = [...times].filter(([, count]) => count > 1);
    expect(repeated.map(([key]) => key).sort()).toEqual([...inFlight].sort());
    expect(repeated.every(([, count]) => count === 2)).toBe(true);

    // The survivor took the victim's claims over only once their lease had run out, and sent each once.
    await withPostgres(url, async (client) => {
      const attempts = await client.query<{ deliveryId: string; at: Date; ok: boolean }>(
        `SELECT "deliveryId", "at", "ok" FROM "NotificationAttempt" WHERE "deliveryId" = ANY($1)`,
        [claimed.map((row) => row.id)],
      );
      for (const { id, claimedUntil } of claimed) {
        const made = attempts.rows.filter((attempt) => attempt.deliveryId === id);
        expect(made, `attempts of delivery ${id}`).toHaveLength(1);
        expect(made[0]?.ok).toBe(true);
        expect(made[0]?.at.getTime()).toBeGreaterThanOrEqual(claimedUntil.getTime());
      }
    });
    console.log(
      `kill -9 with ${claimed.length} deliveries claimed (${inFlight.length} in flight) at ${killedAt.toISOString()}: ` +
        `${alertIds.length} alerts delivered by the survivor, ${repeated.length} repeated`,
    );
    expect(Object.keys(await uploadStatuses(url))).toEqual(["done"]);
    expect(await deadlocks(url)).toBe(0);
    expect(errorLines().filter((line) => line.startsWith("instance 1"))).toEqual([]);
  });
});
