import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installBuiltinRules } from "@/lib/app/builtin-rules";
import { ensureFirstAdmin } from "@/lib/auth/first-admin";
import { apiRequest, signedInUser } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { useTestPostgresDatabase } from "@/lib/db/dialect/postgresql/test-cluster";
import { POST as bulk } from "./alerts/bulk/route";
import { GET as groups } from "./alerts/groups/route";
import { GET as list } from "./alerts/route";
import { POST as login } from "./auth/login/route";
import { GET as me } from "./auth/me/route";
import { GET as dashboard } from "./dashboard/route";
import { GET as rules } from "./rules/route";

/**
 * The app on PostgreSQL, through its HTTP handlers as the browser reaches them: start-up (migrations, built-in
 * rules, first admin), signing in, the alert list with search, sorts, paging and groups, bulk triage and the
 * dashboard, all against a real PostgreSQL server (scripts/pg-cluster.mjs).
 */

const ADMIN_PASSWORD = "postgres admin password";
let viewer: { cookie: string };
let analyst: { cookie: string };
const ids: string[] = [];

beforeAll(async () => {
  await useTestPostgresDatabase();
  await installBuiltinRules();
  await ensureFirstAdmin({ ...process.env, KEELWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD });
  viewer = await signedInUser("pg-viewer", "viewer");
  analyst = await signedInUser("pg-analyst", "analyst");
  await prisma().rule.create({
    data: { id: "r-shell", name: "Shell in container", description: "t", query: "q", severity: "high", riskScore: 73 },
  });
  await prisma().rule.create({
    data: { id: "r-nc", name: "Netcat listener", description: "t", query: "q", severity: "low", riskScore: 21 },
  });
  const alerts = [
    {
      rule: "r-shell",
      name: "Shell in container",
      severity: "high",
      rank: 3,
      risk: 73,
      container: "c-pay",
      cname: "payments_api",
      command: "sh -c id",
    },
    {
      rule: "r-shell",
      name: "Shell in container",
      severity: "high",
      rank: 3,
      risk: 73,
      container: "c-web",
      cname: "web",
      command: "bash -i",
    },
    {
      rule: "r-nc",
      name: "Netcat listener",
      severity: "low",
      rank: 1,
      risk: 21,
      container: "c-web",
      cname: "web",
      command: "nc -lvp 4444",
    },
    {
      rule: "r-nc",
      name: "Netcat listener",
      severity: "low",
      rank: 1,
      risk: 21,
      container: null,
      cname: null,
      command: "NC -e /bin/sh",
    },
  ];
  for (const [index, alert] of alerts.entries()) {
    const created = await prisma().alert.create({
      data: {
        ruleId: alert.rule,
        ruleName: alert.name,
        severity: alert.severity,
        severityRank: alert.rank,
        riskScore: alert.risk,
        dedupKey: `pg-${index}`,
        timestamp: new Date(Date.UTC(2026, 10, 20, 10 + index, index)),
        createdAt: new Date(Date.UTC(2026, 10, 20, 12)),
        containerId: alert.container,
        containerName: alert.cname,
        hostName: index < 2 ? "node-a" : "node-b",
        commandLine: alert.command,
      },
    });
    ids.push(created.id);
  }
});
afterAll(async () => {
  await prisma().$disconnect();
});

const get = async (handler: (request: Request) => Promise<Response>, path: string, cookie: string) => {
  const response = await handler(apiRequest(path, { cookie }));
  return { status: response.status, body: await response.json() };
};
const itemIds = (body: { items: { id: string }[] }) => body.items.map((item) => item.id);

describe("Keelwatch on PostgreSQL", () => {
  it("runs on the PostgreSQL dialect, its migrations applied at start-up", async () => {
    expect(dialect().name).toBe("postgresql");
    expect(await dialect().migrationStatus(process.env.DATABASE_URL ?? "")).toMatchObject({ pending: [] });
  });

  it("installs the built-in rules at start-up, once", async () => {
    const { status, body } = await get(rules, "/api/rules", viewer.cookie);
    expect(status).toBe(200);
    const builtin = (body.rules ?? body.items ?? body).filter((rule: { builtin: boolean }) => rule.builtin);
    expect(builtin.length).toBeGreaterThanOrEqual(3);
    const before = await prisma().rule.count();
    await installBuiltinRules();
    expect(await prisma().rule.count()).toBe(before);
  });

  it("signs the first admin in with the right password only, and knows the session", async () => {
    const wrong = await login(
      apiRequest("/api/auth/login", { method: "POST", body: { username: "admin", password: "nope nope nope" } }),
    );
    expect(wrong.status).toBe(401);
    const right = await login(
      apiRequest("/api/auth/login", { method: "POST", body: { username: "admin", password: ADMIN_PASSWORD } }),
    );
    expect(right.status).toBe(200);
    const cookie = (right.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/=/);
    const { status, body } = await get(me, "/api/auth/me", cookie);
    expect(status).toBe(200);
    expect(JSON.stringify(body)).toContain('"admin"');
    const user = await prisma().user.findUniqueOrThrow({ where: { username: "admin" } });
    expect(user.failedLogins).toBe(0);
  });

  it("lists alerts newest first and pages with the cursor", async () => {
    const first = await get(list, "/api/alerts?limit=3", viewer.cookie);
    expect(first.status).toBe(200);
    expect(itemIds(first.body)).toEqual([ids[3], ids[2], ids[1]]);
    expect(first.body.items[0].timestamp).toBe("2026-11-20T13:03:00.000Z");
    const second = await get(
      list,
      `/api/alerts?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      viewer.cookie,
    );
    expect(itemIds(second.body)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("sorts by severity and risk, and filters by status over several statuses (one branch per status)", async () => {
    const bySeverity = await get(list, "/api/alerts?sort=severity", viewer.cookie);
    expect(itemIds(bySeverity.body)).toEqual([ids[1], ids[0], ids[3], ids[2]]);
    const byRisk = await get(list, "/api/alerts?sort=risk&limit=1", viewer.cookie);
    expect(itemIds(byRisk.body)).toEqual([ids[1]]);
    const next = await get(
      list,
      `/api/alerts?sort=risk&limit=1&cursor=${encodeURIComponent(byRisk.body.nextCursor)}`,
      viewer.cookie,
    );
    expect(itemIds(next.body)).toEqual([ids[0]]);
    const open = await get(list, "/api/alerts?status=open,acknowledged&severity=low", viewer.cookie);
    expect(itemIds(open.body)).toEqual([ids[3], ids[2]]);
  });

  it("searches the free text as substrings of any field, ignoring case, with LIKE wildcards taken literally", async () => {
    expect(itemIds((await get(list, "/api/alerts?q=payments_", viewer.cookie)).body)).toEqual([ids[0]]);
    expect(itemIds((await get(list, "/api/alerts?q=nc%20node-b", viewer.cookie)).body)).toEqual([ids[3], ids[2]]);
    expect(itemIds((await get(list, "/api/alerts?q=BIN%2FSH", viewer.cookie)).body)).toEqual([ids[3]]);
    expect(itemIds((await get(list, "/api/alerts?q=pay%25", viewer.cookie)).body)).toEqual([]);
    expect(itemIds((await get(list, "/api/alerts?q=web%20-i", viewer.cookie)).body)).toEqual([ids[1]]);
  });

  it("groups alerts from the kept counts and from the alerts themselves, and bulk triage moves the counts", async () => {
    const byRule = await get(groups, "/api/alerts/groups?by=rule", viewer.cookie);
    expect(byRule.status).toBe(200);
    const counts = (body: { groups: { key: string | null; count: number }[] }) =>
      Object.fromEntries(body.groups.map((group) => [group.key ?? "(none)", group.count]));
    expect(counts(byRule.body)).toEqual({ "r-shell": 2, "r-nc": 2 });
    const byContainer = await get(groups, "/api/alerts/groups?by=container&q=nc", viewer.cookie);
    expect(counts(byContainer.body)).toEqual({ "c-web": 1, "(none)": 1 });

    const acknowledged = await bulk(
      apiRequest("/api/alerts/bulk", {
        method: "POST",
        cookie: analyst.cookie,
        origin: "http://keelwatch.test",
        body: { action: "acknowledge", ids: [ids[0], ids[2]] },
      }),
    );
    expect(acknowledged.status).toBe(200);
    const open = await get(groups, "/api/alerts/groups?by=host&status=open", viewer.cookie);
    expect(counts(open.body)).toEqual({ "node-a": 1, "node-b": 1 });
    const total = await get(list, "/api/alerts?status=acknowledged", viewer.cookie);
    expect(itemIds(total.body)).toEqual([ids[2], ids[0]]);
  });

  it("draws the dashboard from the counts the triggers keep", async () => {
    const { status, body } = await get(dashboard, "/api/dashboard?range=all", viewer.cookie);
    expect(status).toBe(200);
    expect(body.total).toBe(4);
    expect(body.topRules).toHaveLength(2);
    expect(body.topRules).toEqual(
      expect.arrayContaining([
        { ruleId: "r-nc", ruleName: "Netcat listener", count: 2 },
        { ruleId: "r-shell", ruleName: "Shell in container", count: 2 },
      ]),
    );
    expect(
      Object.fromEntries(body.byStatus.map((row: { status: string; count: number }) => [row.status, row.count])),
    ).toEqual({
      open: 2,
      acknowledged: 2,
    });
    expect(body.topContainers).toEqual(
      expect.arrayContaining([
        { containerId: "c-web", containerName: "web", count: 2 },
        { containerId: "c-pay", containerName: "payments_api", count: 1 },
      ]),
    );
    const severities = body.overTime.reduce(
      (sum: { high: number; low: number }, bucket: { high: number; low: number }) => ({
        high: sum.high + bucket.high,
        low: sum.low + bucket.low,
      }),
      { high: 0, low: 0 },
    );
    expect(severities).toEqual({ high: 2, low: 2 });
    expect(body.meanMinutesToAcknowledge).toBeGreaterThan(0);
  });
});
