/**
 * kill -9 of the server while 8 sensors push at once (issue 21): single Falco
 * alerts as Falcosidekick's webhook sends them and small NDJSON batches (gzip
 * or not) as Fluent Bit sends them, each alert numbered by its uuid. A push
 * that gets no answer is sent again, as a sensor retries, until it is
 * answered 2xx. Afterwards the database must hold every alert number exactly
 * once (so every acknowledged push is stored, and no retry stored anything
 * twice), and the "Falco alert" promotion rule must have raised or folded each
 * of them exactly once: no event in two of its alerts, and its alerts plus
 * their suppressed counts equal to the events.
 *
 * The pushes carry no ?filename=, so they are sensor pushes: the path that
 * joins a source's concurrent pushes into one storage transaction (group
 * commit). Two ingest tokens, four sensors each: groups form within a source,
 * and two sources' groups share the writer.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Prng } from "@/bench/prng";
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
import { addApiToken, KeelwatchServer, prepareTestDatabase, sleep, withDatabase } from "./server";

const SEED = 0x5e45;
const SENSORS = 8;
const SOURCES = 2;
const PUSHES_PER_SENSOR = 50;
/** Kills fall once this share of all pushes has been answered, a few random milliseconds later. */
const KILL_AT = [0.15, 0.35, 0.55, 0.75];
const FALCO_ALERT_RULE = "4c50a75e-4bea-402d-87e3-3360cd924004";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-stress-pushes-"));
const dbFile = path.join(dir, "keelwatch.db");
const server = new KeelwatchServer({ dbFile });

afterAll(async () => {
  await server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Acknowledged {
  numbers: number[];
  source: number;
  /** Attempts that ended without an answer (the server was killed or down) before the 2xx. */
  unanswered: number;
  /** The 2xx answer's report. */
  report: PushReport;
}

/** Every stored event's alert number (null for an event that is not one of ours). */
function storedNumbers(): (number | null)[] {
  return withDatabase(dbFile, (db) => {
    const numbers: (number | null)[] = [];
    const uuidOf = (text: string | null | undefined) =>
      alertNumber(text ? (JSON.parse(text) as { falco?: { uuid?: unknown } }).falco?.uuid : undefined);
    for (const row of db.prepare("SELECT document FROM Event WHERE blockId IS NULL").all() as { document: string }[]) {
      numbers.push(uuidOf(row.document));
    }
    const blocks = db.prepare("SELECT id, codec, data, checksum, count FROM EventBlock").all() as {
      id: number;
      codec: string;
      data: Buffer;
      checksum: number;
      count: number;
    }[];
    const positions = db.prepare("SELECT position FROM Event WHERE blockId = ? ORDER BY position").pluck();
    for (const block of blocks) {
      const unpacked = unpackBlock(block);
      for (const position of positions.all(block.id) as number[]) numbers.push(uuidOf(unpacked.document(position)));
    }
    return numbers;
  });
}

function falcoAlerts() {
  return withDatabase(dbFile, (db) => ({
    alerts: db.prepare("SELECT id, suppressedCount FROM Alert WHERE ruleId = ?").all(FALCO_ALERT_RULE) as {
      id: string;
      suppressedCount: number;
    }[],
    linkedEvents: db
      .prepare("SELECT ae.eventId FROM AlertEvent ae JOIN Alert a ON a.id = ae.alertId WHERE a.ruleId = ?")
      .pluck()
      .all(FALCO_ALERT_RULE) as number[],
  }));
}

describe("kill -9 during concurrent sensor pushes", () => {
  it("stores every acknowledged push once and doubles nothing when sensors re-send unanswered pushes", async () => {
    const tokens = [prepareTestDatabase(dbFile, "ingest")];
    while (tokens.length < SOURCES) tokens.push(addApiToken(dbFile, "ingest"));
    const prng = new Prng(SEED);
    const alert = numberedAlerts();
    const { sensors, numbered } = sensorsPushes(prng, SENSORS, PUSHES_PER_SENSOR, alert);
    const total = SENSORS * PUSHES_PER_SENSOR;
    await server.start();

    const acknowledged: Acknowledged[] = [];
    /** Answers other than 2xx: a sensor retries those too, but only "busy" (503) is an acceptable one. */
    const refusals: Answer[] = [];
    const sensor = async (pushes: Push[], source: number) => {
      const token = tokens[source] as string;
      // A sensor keeps its connection open between pushes, as Falcosidekick and Fluent Bit do.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const push of pushes) {
          const { report, unanswered } = await deliver(server, agent, token, push, {
            refusals,
            pauseMs: () => 50 + prng.int(0, 150),
            resendUnanswered: true,
          });
          acknowledged.push({ numbers: push.numbers, source, unanswered, report });
        }
      } finally {
        agent.destroy();
      }
    };
    const killer = async () => {
      for (const share of KILL_AT) {
        while (acknowledged.length < Math.round(share * total)) await sleep(5);
        await sleep(prng.int(0, 40));
        await server.kill();
        await sleep(prng.int(0, 300));
        await server.start();
      }
    };
    await Promise.all([...sensors.map((pushes, index) => sensor(pushes, index % SOURCES)), killer()]);
    await server.stop();

    const cut = acknowledged.filter((push) => push.unanswered > 0);
    const foundStored = cut.filter((push) => (push.report.events?.duplicate ?? 0) > 0);
    console.log(
      `${total} pushes of ${numbered} Falco alerts, ${KILL_AT.length} kills: ${cut.length} pushes cut off and ` +
        `sent again, ${foundStored.length} of them already (partly) stored; ${refusals.length} refusals ` +
        `(${[...new Set(refusals.map((answer) => answer.status))].join(", ") || "none"})`,
    );
    expect(acknowledged).toHaveLength(total);
    // Each kill cut off pushes in flight, so the retries were really exercised.
    expect(cut.length).toBeGreaterThanOrEqual(KILL_AT.length);
    for (const answer of refusals) expect(answer.status, answer.body.slice(0, 300)).toBe(503);
    for (const push of acknowledged) {
      expect(push.report.events, JSON.stringify(push.report)).toMatchObject({
        received: push.numbers.length,
        rejected: 0,
      });
    }
    // Sensor pushes, not uploads: each answer names its source, one per token, and no file upload was made.
    const sourceIds = new Set(acknowledged.map((push) => `${push.source}:${push.report.source?.id}`));
    expect([...sourceIds].sort()).toHaveLength(SOURCES);
    expect(acknowledged.every((push) => typeof push.report.source?.id === "string")).toBe(true);
    const uploads = withDatabase(
      dbFile,
      (db) =>
        db.prepare("SELECT kind, count(*) AS rows FROM Upload GROUP BY kind").all() as { kind: string; rows: number }[],
    );
    expect(uploads).toEqual([{ kind: "stream", rows: SOURCES }]);

    // Every acknowledged alert number stored exactly once, and nothing else stored.
    const stored = storedNumbers();
    expect(stored.filter((n) => n === null)).toHaveLength(0);
    const times = new Map<number, number>();
    for (const n of stored as number[]) times.set(n, (times.get(n) ?? 0) + 1);
    const missing = acknowledged.flatMap((push) => push.numbers).filter((n) => !times.has(n));
    const doubled = [...times].filter(([, count]) => count > 1).map(([n, count]) => `${n}×${count}`);
    expect(missing, "acknowledged but not stored").toEqual([]);
    expect(doubled, "stored more than once").toEqual([]);
    expect(stored).toHaveLength(numbered);

    // The promotion rule raised or folded each stored alert exactly once.
    const { alerts, linkedEvents } = falcoAlerts();
    expect(alerts.length).toBeGreaterThan(0);
    expect(new Set(linkedEvents).size).toBe(linkedEvents.length);
    expect(alerts.reduce((sum, row) => sum + 1 + row.suppressedCount, 0)).toBe(numbered);
  }, 900_000);
});
