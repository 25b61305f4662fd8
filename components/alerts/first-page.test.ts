import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { listAlerts } from "@/lib/db/alert-list";
import { prisma } from "@/lib/db/client";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import { loadAlertsPageSeed, toUrlSearchParams } from "./first-page";
import { PAGE_SIZE } from "./list-data";
import { readListState } from "./list-state";

setUpTestDatabase();

const ANALYST: Principal = { kind: "user", id: "u-ana", username: "ana", displayName: "Ana Lyst", role: "analyst" };
const RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;

beforeAll(async () => {
  await prisma().rule.create({
    data: {
      id: "rule-shell",
      name: "Interactive shell in container",
      description: "test rule",
      query: 'process where process.name : "bash"',
      severity: "high",
      riskScore: 47,
    },
  });
  const rows = [
    { severity: "high", minute: 1, container: "web-1", command: `<img src=x onerror="alert(1)">` },
    { severity: "low", minute: 2, container: "web-2", command: "curl http://example.test" },
    { severity: "high", minute: 3, container: "db-1", command: "sh -c id" },
  ] as const;
  for (const [index, row] of rows.entries()) {
    await prisma().alert.create({
      data: {
        ruleId: "rule-shell",
        ruleName: "Interactive shell in container",
        severity: row.severity,
        severityRank: RANK[row.severity],
        riskScore: 40 + index,
        dedupKey: `first-page-${index}`,
        timestamp: new Date(Date.UTC(2026, 10, 20, 10, row.minute)),
        containerId: `c-${row.container}`,
        containerName: row.container,
        commandLine: row.command,
      },
    });
  }
});

describe("toUrlSearchParams", () => {
  it("keeps repeated keys in order and drops absent ones", () => {
    const params = toUrlSearchParams({ status: ["open", "closed"], q: "shell", rule: undefined });
    expect(params.getAll("status")).toEqual(["open", "closed"]);
    expect(params.get("q")).toBe("shell");
    expect(params.has("rule")).toBe(false);
  });
});

describe("loadAlertsPageSeed", () => {
  it("gives the URL's filter, the API's page for it as JSON, and who is signed in", async () => {
    const params = new URLSearchParams("severity=high&sort=oldest");
    const before = Date.now();
    const seed = await loadAlertsPageSeed(params, ANALYST);

    expect(seed.principal).toEqual({
      principal: { kind: "user", id: "u-ana", displayName: "Ana Lyst", role: "analyst" },
    });
    expect(seed.list?.filter).toEqual(readListState(params).filter);
    expect(seed.list?.fetchedAt).toBeGreaterThanOrEqual(before);
    // What GET /api/alerts?severity=high&sort=oldest&limit=PAGE_SIZE sends: Dates as ISO text.
    const api = JSON.parse(JSON.stringify(await listAlerts({ severity: "high", sort: "oldest", limit: PAGE_SIZE })));
    expect(seed.list?.page).toEqual(api);
    expect(seed.list?.page.items.map((item) => item.containerName)).toEqual(["web-1", "db-1"]);
    expect(seed.list?.page.items[0]?.commandLine).toBe(`<img src=x onerror="alert(1)">`);
  });

  it("reads every alert, newest first, for a plain /alerts", async () => {
    const seed = await loadAlertsPageSeed(new URLSearchParams(), ANALYST);
    expect(seed.list?.page.items.map((item) => item.containerName)).toEqual(["db-1", "web-2", "web-1"]);
    expect(seed.list?.page.nextCursor).toBeNull();
  });

  it("leaves a filter the API would refuse to the browser, which then shows the API's message", async () => {
    const seed = await loadAlertsPageSeed(
      new URLSearchParams("from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z"),
      ANALYST,
    );
    expect(seed.list).toBeNull();
    expect(seed.principal?.principal.id).toBe("u-ana");
  });
});
