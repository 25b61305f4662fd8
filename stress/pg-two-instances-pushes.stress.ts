/**
 * Two instances on one PostgreSQL database ingesting at once (issue 22), as
 * behind a load balancer: six sensors of two sources push numbered Falco
 * alerts, each push to the next instance in turn, and one push in five is
 * sent to both at once (a retry that reached the other instance while the
 * first attempt still ran). Meanwhile a third source sends process chains
 * whose steps go through different instances: a dropper run from /tmp, a
 * shell it started, and a network tool the shell started, each acknowledged
 * before the next is sent. Only the stored ancestry (the Process rows the
 * other instance wrote) tells that the tool runs under /tmp, which is what
 * "Network utility executed in container" looks for.
 *
 * Afterwards: every alert number stored once, the "Falco alert" promotion
 * rule raised or folded each exactly once (alerts plus suppressed counts
 * equal the events, no event in two alerts), each source's counters equal
 * the pushes answered, no line of a stream used twice, one Process row per
 * process with its parent, and one network-utility alert per chain.
 */
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "@/bench/prng";
import { databaseDeadlocks } from "@/lib/db/dialect/postgresql/lock-waits";
import { unpackBlock } from "@/lib/db/events/block-codec.mjs";
import {
  type Answer,
  alertNumber,
  deliver,
  numberedAlerts,
  type Push,
  type PushReport,
  sensorsPushes,
} from "./falco-pushes";
import { addPostgresApiToken, type Instances, startInstances, withPostgres } from "./postgresql";
import type { KeelwatchServer } from "./server";

const SEED = 0x22b;
const SENSORS = 6;
const SOURCES = 2;
const PUSHES_PER_SENSOR = 40;
const BOTH_SHARE = 0.2;
const CHAINS = 12;
const FALCO_ALERT_RULE = "4c50a75e-4bea-402d-87e3-3360cd924004";
const NETWORK_UTILITY_RULE = "1e8dd6fb-cbc9-4e94-b4b2-ec2b236ffd93";

let instances: Instances | null = null;

afterAll(async () => {
  for (const server of instances?.servers ?? []) await server.kill();
});

/** Answers other than 2xx: a sensor sends again; only "busy" (503) is an acceptable one. */
const refusals: Answer[] = [];

/** Sends until answered 2xx, as a sensor retries; returns the report. Every attempt must be answered. */
async function send(server: KeelwatchServer, agent: http.Agent, token: string, push: Push): Promise<PushReport> {
  const { report } = await deliver(server, agent, token, push, {
    refusals,
    pauseMs: () => 100,
    resendUnanswered: false,
  });
  return report;
}

/** The three exec events of chain `k`: dropper (from /tmp), a shell it starts, a network tool the shell starts. */
function chainPushes(k: number): Push[] {
  const at = (step: number) => new Date(Date.UTC(2026, 11, 6, 9, 0, k * 10 + step)).toISOString();
  const id = (step: string) => `pg-stress-chain-${k}-${step}`;
  const exec = (step: number, process: Record<string, unknown>) => ({
    "@timestamp": at(step),
    event: { kind: "event", category: ["process"], type: ["start"], action: "exec" },
    host: { name: "node-1" },
    container: { id: `c0ffee${String(k).padStart(6, "0")}` },
    process: { pid: 100 + step, ...process },
  });
  const events = [
    exec(0, {
      entity_id: id("dropper"),
      name: "dropper",
      executable: `/tmp/.cache/dropper-${k}`,
      parent: { entity_id: id("init") },
    }),
    // The shell's event names its parent by entity id only: its executable is in the dropper's stored row.
    exec(1, { entity_id: id("shell"), name: "sh", executable: "/bin/sh", parent: { entity_id: id("dropper") } }),
    exec(2, {
      entity_id: id("tool"),
      name: "nc",
      executable: "/usr/bin/nc",
      parent: { entity_id: id("shell"), name: "sh", executable: "/bin/sh" },
    }),
  ];
  return events.map((event) => ({
    numbers: [],
    body: Buffer.from(`${JSON.stringify(event)}\n`),
    headers: { "content-type": "application/x-ndjson" },
  }));
}

/** Every stored event's document, read from its block. */
async function storedDocuments(url: string): Promise<string[]> {
  return withPostgres(url, async (client) => {
    const documents: string[] = [];
    const blocks = await client.query<{
      id: number;
      codec: string;
      data: Buffer;
      checksum: number;
      count: number;
      rawBytes: number;
    }>(`SELECT "id", "codec", "data", "checksum", "count", "rawBytes" FROM "EventBlock"`);
    for (const block of blocks.rows) {
      const unpacked = unpackBlock(block);
      const positions = await client.query<{ position: number }>(
        `SELECT "position" FROM "Event" WHERE "blockId" = $1 ORDER BY "position"`,
        [block.id],
      );
      for (const { position } of positions.rows) documents.push(unpacked.document(position) ?? "");
    }
    const loose = await client.query<{ count: string }>(
      `SELECT count(*) AS "count" FROM "Event" WHERE "blockId" IS NULL`,
    );
    if (Number(loose.rows[0]?.count) > 0) throw new Error("events outside blocks: the PostgreSQL writer makes none");
    return documents;
  });
}

describe("two instances on one PostgreSQL database ingesting at once", () => {
  it("keeps dedup, suppression counts and ancestry exact across both instances' batches", async () => {
    instances = await startInstances(2);
    const { url, servers } = instances;
    const tokens: string[] = [];
    for (let source = 0; source < SOURCES; source++) tokens.push(await addPostgresApiToken(url, "ingest"));
    const chainToken = await addPostgresApiToken(url, "ingest");

    const prng = new Prng(SEED);
    const alert = numberedAlerts();
    const { sensors, numbered } = sensorsPushes(prng, SENSORS, PUSHES_PER_SENSOR, alert);

    /** Per source: answers and the events they reported received. */
    const answered = new Map<string, { pushes: number; events: number }>();
    const count = (token: string, report: PushReport) => {
      const tally = answered.get(token) ?? { pushes: 0, events: 0 };
      tally.pushes++;
      tally.events += report.events?.received ?? 0;
      answered.set(token, tally);
      expect(report.events, JSON.stringify(report)).toMatchObject({ rejected: 0 });
    };
    let sentToBoth = 0;
    const sensor = async (pushes: Push[], index: number) => {
      const token = tokens[index % SOURCES] as string;
      // One keep-alive connection per instance, as a sensor behind a load balancer holds.
      const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
      try {
        for (const [n, push] of pushes.entries()) {
          const target = (index + n) % servers.length;
          const targets = prng.chance(BOTH_SHARE) ? [target, 1 - target] : [target];
          if (targets.length > 1) sentToBoth++;
          const reports = await Promise.all(
            targets.map((at) => send(servers[at] as KeelwatchServer, agents[at] as http.Agent, token, push)),
          );
          for (const report of reports) {
            expect(report.events?.received, JSON.stringify(report)).toBe(push.numbers.length);
            count(token, report);
          }
        }
      } finally {
        for (const agent of agents) agent.destroy();
      }
    };
    const chains = async () => {
      const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
      try {
        for (let k = 0; k < CHAINS; k++) {
          const steps = chainPushes(k);
          for (const [step, push] of steps.entries()) {
            const target = (k + step) % servers.length;
            // Every other chain's last step reaches both instances at once: one alert all the same.
            const targets = step === 2 && k % 2 === 0 ? [target, 1 - target] : [target];
            const reports = await Promise.all(
              targets.map((at) => send(servers[at] as KeelwatchServer, agents[at] as http.Agent, chainToken, push)),
            );
            for (const report of reports) count(chainToken, report);
          }
        }
      } finally {
        for (const agent of agents) agent.destroy();
      }
    };
    const started = Date.now();
    await Promise.all([...sensors.map((pushes, index) => sensor(pushes, index)), chains()]);
    console.log(
      `${SENSORS * PUSHES_PER_SENSOR} pushes of ${numbered} Falco alerts (${sentToBoth} sent to both instances) ` +
        `and ${CHAINS} process chains through 2 instances in ${Date.now() - started} ms; ${refusals.length} refusals`,
    );
    for (const answer of refusals) expect(answer.status, answer.body.slice(0, 300)).toBe(503);

    // Every alert number stored exactly once, and each chain's three events once.
    const documents = await storedDocuments(url);
    const times = new Map<number, number>();
    const chainEvents: string[] = [];
    for (const text of documents) {
      const document = JSON.parse(text) as { falco?: { uuid?: unknown }; process?: { entity_id?: string } };
      const n = alertNumber(document.falco?.uuid);
      if (n !== null) times.set(n, (times.get(n) ?? 0) + 1);
      else chainEvents.push(document.process?.entity_id ?? "(none)");
    }
    expect(
      [...times].filter(([, copies]) => copies > 1),
      "stored more than once",
    ).toEqual([]);
    expect(times.size).toBe(numbered);
    expect(chainEvents).toHaveLength(3 * CHAINS);
    expect(new Set(chainEvents).size).toBe(3 * CHAINS);

    await withPostgres(url, async (client) => {
      // No deadlock between the instances' transactions: a batch takes its suppression groups sorted, first, and its
      // processes' rows in one order (PostgreSQL would roll one back, and it would be stored again, a second late).
      expect(await databaseDeadlocks(client)).toBe(0);
      // The promotion rule raised or folded each alert exactly once.
      const falco = await client.query<{ id: string; suppressedCount: number; links: string }>(
        `SELECT a."id", a."suppressedCount", (SELECT count(*) FROM "AlertEvent" ae WHERE ae."alertId" = a."id") AS "links"
         FROM "Alert" a WHERE a."ruleId" = $1`,
        [FALCO_ALERT_RULE],
      );
      expect(falco.rows.length).toBeGreaterThan(0);
      expect(falco.rows.reduce((sum, row) => sum + 1 + row.suppressedCount, 0)).toBe(numbered);
      const doubleLinked = await client.query(
        `SELECT ae."eventId" FROM "AlertEvent" ae JOIN "Alert" a ON a."id" = ae."alertId"
         GROUP BY a."ruleId", ae."eventId" HAVING count(*) > 1`,
      );
      expect(doubleLinked.rows, "an event in two alerts of one rule").toEqual([]);
      const dedup = await client.query(`SELECT "dedupKey" FROM "Alert" GROUP BY "dedupKey" HAVING count(*) > 1`);
      expect(dedup.rows).toEqual([]);

      // Each source's counters: the pushes answered and the events they reported, whichever instance stored them.
      for (const token of [...tokens, chainToken]) {
        const { rows } = await client.query<{ pushes: number; events: number }>(
          `SELECT s."pushes", s."events" FROM "Source" s JOIN "ApiToken" t ON t."id" = s."tokenId"
           WHERE t."prefix" = $1`,
          [token.slice(0, 9)],
        );
        expect(rows).toEqual([answered.get(token)]);
      }
      const streams = await client.query<{ kind: string; rows: string }>(
        `SELECT "kind", count(*) AS "rows" FROM "Upload" GROUP BY "kind"`,
      );
      expect(streams.rows).toEqual([{ kind: "stream", rows: String(SOURCES + 1) }]);
      // Pushes of one stream stored by both instances take turns for their line numbers.
      const reused = await client.query(
        `SELECT "uploadId", "line" FROM "Event" GROUP BY "uploadId", "line" HAVING count(*) > 1`,
      );
      expect(reused.rows, "a stream line used twice").toEqual([]);

      // Ancestry: one Process row per process, from its own event, with its parent.
      const processes = await client.query<{ entityId: string; parentEntityId: string | null; eventEntity: string }>(
        `SELECT p."entityId", p."parentEntityId", e."entityId" AS "eventEntity"
         FROM "Process" p JOIN "Event" e ON e."id" = p."eventId"
         WHERE p."entityId" LIKE 'pg-stress-chain-%' ORDER BY p."entityId"`,
      );
      const want: { entityId: string; parentEntityId: string; eventEntity: string }[] = [];
      for (let k = 0; k < CHAINS; k++) {
        const id = (step: string) => `pg-stress-chain-${k}-${step}`;
        want.push(
          { entityId: id("dropper"), parentEntityId: id("init"), eventEntity: id("dropper") },
          { entityId: id("shell"), parentEntityId: id("dropper"), eventEntity: id("shell") },
          { entityId: id("tool"), parentEntityId: id("shell"), eventEntity: id("tool") },
        );
      }
      want.sort((a, b) => (a.entityId < b.entityId ? -1 : 1));
      expect(processes.rows).toEqual(want);
      // The network tool of each chain raised one alert: its /tmp ancestor came from the other instance's rows.
      const tools = await client.query<{ entityId: string }>(
        `SELECT "entityId" FROM "Alert" WHERE "ruleId" = $1 ORDER BY "entityId"`,
        [NETWORK_UTILITY_RULE],
      );
      expect(tools.rows.map((row) => row.entityId)).toEqual(
        Array.from({ length: CHAINS }, (_, k) => `pg-stress-chain-${k}-tool`).sort(),
      );
    });
  });
});
