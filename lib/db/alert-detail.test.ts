import { beforeAll, describe, expect, it } from "vitest";
import { getAlertDetail, parseThreat } from "./alert-detail";
import { processDocument, seedAlert, seedEvent, seedRule, seedUpload } from "./alert-test-fixtures";
import { prisma } from "./client";
import { setUpTestDatabase } from "./test-database-hooks";

/** Runs on SQLite and on PostgreSQL (scripts/postgresql-suites.mjs). */
setUpTestDatabase();

const THREAT = [
  {
    framework: "MITRE ATT&CK",
    tactic: { id: "TA0002", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
    technique: [
      {
        id: "T1059",
        name: "Command and Scripting Interpreter",
        reference: "https://attack.mitre.org/techniques/T1059/",
        subtechnique: [
          { id: "T1059.004", name: "Unix Shell", reference: "https://attack.mitre.org/techniques/T1059/004/" },
        ],
      },
    ],
  },
  {
    framework: "MITRE ATT&CK",
    tactic: { id: "TA0007", name: "Discovery", reference: "https://attack.mitre.org/tactics/TA0007/" },
  },
];

let alertId = "";
let ruleId = "";
const ids: Record<string, string> = {};

beforeAll(async () => {
  const db = prisma();
  const rule = await seedRule(db, { threat: THREAT, guide: "## Investigate\n\n- one" });
  ruleId = rule.id;
  const upload = await seedUpload(db);
  // init → sh → dropper → nc (the alert's process) → two children (one exec'd twice)
  await seedEvent(db, upload.id, 1, processDocument("init", null, "/sbin/tini"));
  await seedEvent(db, upload.id, 2, processDocument("sh", "init", "/bin/sh"));
  await seedEvent(db, upload.id, 3, processDocument("dropper", "sh", "/tmp/.x/run"));
  const nc = await seedEvent(
    db,
    upload.id,
    4,
    processDocument("nc", "dropper", "/usr/bin/nc", {
      "@timestamp": "2026-11-23T06:00:01Z",
      process: {
        entity_id: "nc",
        name: "nc",
        executable: "/usr/bin/nc",
        args: ["nc", "-l", "4444"],
        command_line: "nc -l 4444",
        parent: { entity_id: "dropper" },
        pid: 4242,
      },
    }),
  );
  await seedEvent(db, upload.id, 5, processDocument("child-1", "nc", "/bin/bash"));
  await seedEvent(db, upload.id, 6, {
    ...processDocument("child-1", "nc", "/bin/bash"),
    "@timestamp": "2026-11-23T06:00:05Z",
  });
  await seedEvent(db, upload.id, 7, processDocument("child-2", "nc", "/usr/bin/id"));

  const alert = await seedAlert(db, {
    ruleId,
    eventIds: [nc.id],
    containerId: "c0ffee",
    containerName: "web",
    imageName: "nginx",
    hostName: "node-1",
    processName: "nc",
    commandLine: "nc -l 4444",
    entityId: "nc",
    entryLeaderEntityId: "entry-1",
    sessionLeaderEntityId: "session-1",
  });
  alertId = alert.id;
  const sameContainer = await seedAlert(db, { ruleId, eventIds: [], containerId: "c0ffee", hostName: "node-9" });
  const sameHost = await seedAlert(db, { ruleId, eventIds: [], containerId: "other", hostName: "node-1" });
  const sameSession = await seedAlert(db, { ruleId, eventIds: [], sessionLeaderEntityId: "session-1" });
  const sameEntry = await seedAlert(db, { ruleId, eventIds: [], entryLeaderEntityId: "entry-1" });
  const unrelated = await seedAlert(db, { ruleId, eventIds: [], containerId: "x", hostName: "y" });
  Object.assign(ids, {
    sameContainer: sameContainer.id,
    sameHost: sameHost.id,
    sameSession: sameSession.id,
    sameEntry: sameEntry.id,
    unrelated: unrelated.id,
  });
});

describe("getAlertDetail", () => {
  it("returns null for an unknown id", async () => {
    expect(await getAlertDetail("no-such-alert")).toBeNull();
  });

  it("returns the alert, its rule summary and the triggering event with its document parsed", async () => {
    const detail = await getAlertDetail(alertId);
    expect(detail).not.toBeNull();
    expect(detail?.version).toBe(1);
    expect(detail?.status).toBe("open");
    expect(detail?.context).toMatchObject({ containerId: "c0ffee", imageName: "nginx", commandLine: "nc -l 4444" });
    expect(detail?.rule).toMatchObject({
      id: ruleId,
      guide: "## Investigate\n\n- one",
      triageSteps: ["Check the container", "Read the command line"],
      responseSteps: ["Isolate the container"],
      falsePositives: ["Debug images"],
    });
    expect(detail?.rule.tactics.map((t) => t.id)).toEqual(["TA0002", "TA0007"]);
    expect(detail?.rule.techniques.map((t) => t.id)).toEqual(["T1059", "T1059.004"]);
    expect(detail?.events).toHaveLength(1);
    expect(detail?.events[0]?.document).toMatchObject({ process: { command_line: "nc -l 4444", pid: 4242 } });
    expect(typeof detail?.timestamp).toBe("string");
  });

  it("orders triggering events by position", async () => {
    const db = prisma();
    const upload = await seedUpload(db, "sequence.ndjson");
    const first = await seedEvent(db, upload.id, 1, processDocument("s1", null, "/bin/first"));
    const second = await seedEvent(db, upload.id, 2, processDocument("s2", null, "/bin/second"));
    const alert = await seedAlert(db, { ruleId, eventIds: [second.id, first.id] });
    const detail = await getAlertDetail(alert.id);
    expect(detail?.events.map((e) => [e.position, e.id])).toEqual([
      [0, second.id],
      [1, first.id],
    ]);
  });

  it("lists related alerts by container, host and session, never the alert itself", async () => {
    const detail = await getAlertDetail(alertId);
    const related = detail?.related;
    expect(related?.container.map((a) => a.id)).toEqual([ids.sameContainer]);
    expect(related?.host.map((a) => a.id)).toEqual([ids.sameHost]);
    expect(new Set(related?.session.map((a) => a.id))).toEqual(new Set([ids.sameSession, ids.sameEntry]));
    const all = [...(related?.container ?? []), ...(related?.host ?? []), ...(related?.session ?? [])];
    expect(all.map((a) => a.id)).not.toContain(alertId);
    expect(all.map((a) => a.id)).not.toContain(ids.unrelated);
  });

  it("caps each related list at ten", async () => {
    const db = prisma();
    for (let i = 0; i < 12; i++) await seedAlert(db, { ruleId, eventIds: [], hostName: "busy-host" });
    const alert = await seedAlert(db, { ruleId, eventIds: [], hostName: "busy-host" });
    expect((await getAlertDetail(alert.id))?.related.host).toHaveLength(10);
  });

  it("merges a session's alerts found by either leader: each once, newest first, ten at most", async () => {
    const db = prisma();
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 7, minute));
    const seeded: { id: string; minute: number }[] = [];
    for (let minute = 0; minute < 14; minute++) {
      // Alternate which leader links them; every third shares both with the alert (found by both reads).
      const leaders =
        minute % 3 === 0
          ? { entryLeaderEntityId: "entry-9", sessionLeaderEntityId: "session-9" }
          : minute % 2 === 0
            ? { entryLeaderEntityId: "entry-9" }
            : { sessionLeaderEntityId: "session-9" };
      const row = await seedAlert(db, { ruleId, eventIds: [], timestamp: at(minute), ...leaders });
      seeded.push({ id: row.id, minute });
    }
    const alert = await seedAlert(db, {
      ruleId,
      eventIds: [],
      timestamp: at(30),
      entryLeaderEntityId: "entry-9",
      sessionLeaderEntityId: "session-9",
    });
    const session = (await getAlertDetail(alert.id))?.related.session ?? [];
    const newest = [...seeded].sort((x, y) => y.minute - x.minute).slice(0, 10);
    expect(session.map((related) => related.id)).toEqual(newest.map((row) => row.id));
  });

  it("builds the process tree: ancestors root first, the process, distinct children", async () => {
    const tree = (await getAlertDetail(alertId))?.processTree;
    expect(tree?.ancestors.map((node) => node.executable)).toEqual(["/sbin/tini", "/bin/sh", "/tmp/.x/run"]);
    expect(tree?.process).toMatchObject({ entityId: "nc", commandLine: "nc -l 4444", pid: 4242 });
    expect(tree?.children.map((node) => node.entityId)).toEqual(["child-1", "child-2"]);
    expect(tree?.ancestorsTruncated).toBe(false);
  });

  it("names an ancestor that was never stored from its child's parent fields, and stops there", async () => {
    const db = prisma();
    const upload = await seedUpload(db, "orphan.ndjson");
    const event = await seedEvent(db, upload.id, 1, {
      ...processDocument("orphan", "ghost", "/usr/bin/dig"),
      process: {
        entity_id: "orphan",
        name: "dig",
        executable: "/usr/bin/dig",
        parent: { entity_id: "ghost", executable: "/tmp/ghost.sh", name: "ghost.sh" },
      },
    });
    const alert = await seedAlert(db, { ruleId, eventIds: [event.id], entityId: "orphan" });
    const tree = (await getAlertDetail(alert.id))?.processTree;
    expect(tree?.ancestors).toEqual([expect.objectContaining({ entityId: "ghost", executable: "/tmp/ghost.sh" })]);
    expect(tree?.children).toEqual([]);
  });

  it("falls back to the ancestry recorded at ingest when processes have no entity ids", async () => {
    const db = prisma();
    const upload = await seedUpload(db, "no-ids.ndjson");
    const event = await seedEvent(db, upload.id, 1, {
      process: { name: "nmap", executable: "/usr/bin/nmap" },
      keelwatch: { process: { ancestors: { executable: ["/tmp/a", "/bin/sh"], name: ["a", "sh"] } } },
    });
    const alert = await seedAlert(db, { ruleId, eventIds: [event.id] });
    const tree = (await getAlertDetail(alert.id))?.processTree;
    expect(tree?.process?.executable).toBe("/usr/bin/nmap");
    expect(tree?.ancestors.map((node) => node.executable)).toEqual(["/bin/sh", "/tmp/a"]);
  });

  it("stops on a parent cycle", async () => {
    const db = prisma();
    const upload = await seedUpload(db, "cycle.ndjson");
    await seedEvent(db, upload.id, 1, processDocument("loop-a", "loop-b", "/bin/a"));
    const b = await seedEvent(db, upload.id, 2, processDocument("loop-b", "loop-a", "/bin/b"));
    const alert = await seedAlert(db, { ruleId, eventIds: [b.id], entityId: "loop-b" });
    const tree = (await getAlertDetail(alert.id))?.processTree;
    expect(tree?.ancestors.map((node) => node.entityId)).toEqual(["loop-a"]);
  });
});

describe("parseThreat", () => {
  it("tolerates malformed JSON and entries", () => {
    expect(parseThreat("not json")).toEqual({ tactics: [], techniques: [] });
    expect(parseThreat(JSON.stringify([{ tactic: { id: "TA0001" } }, 3]))).toEqual({ tactics: [], techniques: [] });
  });
});
