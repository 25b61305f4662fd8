import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "./client";
import { dashboardFigures, type TimeBucket } from "./dashboard";
import { MAX_BUCKETS } from "./dashboard-buckets";
import { setUpTestDatabase } from "./test-database-hooks";

setUpTestDatabase();

const RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;
const NOW = new Date("2026-11-23T12:00:00Z");
let sequence = 0;

async function seed(options: {
  timestamp: string;
  severity?: keyof typeof RANK;
  ruleId?: string;
  status?: string;
  imageName?: string | null;
  containerName?: string | null;
  acknowledgedAfterMinutes?: number;
  closedAfterMinutes?: number;
}): Promise<void> {
  sequence++;
  const createdAt = new Date("2026-11-23T09:00:00Z");
  const severity = options.severity ?? "medium";
  const ruleId = options.ruleId ?? "rule-net";
  await prisma().rule.upsert({
    where: { id: ruleId },
    create: { id: ruleId, name: `Rule ${ruleId}`, description: "", query: "any where true", severity, riskScore: 50 },
    update: {},
  });
  await prisma().alert.create({
    data: {
      ruleId,
      ruleName: `Rule ${ruleId}`,
      severity,
      severityRank: RANK[severity],
      riskScore: 50,
      status: options.status ?? "open",
      dedupKey: `dashboard-${sequence}`,
      timestamp: new Date(options.timestamp),
      createdAt,
      acknowledgedAt:
        options.acknowledgedAfterMinutes === undefined
          ? null
          : new Date(createdAt.getTime() + options.acknowledgedAfterMinutes * 60_000),
      closedAt:
        options.closedAfterMinutes === undefined
          ? null
          : new Date(createdAt.getTime() + options.closedAfterMinutes * 60_000),
      imageName: options.imageName === undefined ? "nginx" : options.imageName,
      containerName: options.containerName === undefined ? "web-1" : options.containerName,
      containerId: options.containerName === undefined ? "c-web-1" : `c-${options.containerName}`,
    },
  });
}

beforeEach(async () => {
  await prisma().alert.deleteMany();
  await prisma().rule.deleteMany();
});

const nonEmpty = (buckets: TimeBucket[]) =>
  buckets.filter((bucket) => bucket.low + bucket.medium + bucket.high + bucket.critical > 0);

describe("dashboardFigures", () => {
  it("buckets alerts by time and severity, ranks rules, images and containers, within the range", async () => {
    await seed({ timestamp: "2026-11-22T08:00:00Z", severity: "high", ruleId: "rule-shell", imageName: "alpine" });
    await seed({ timestamp: "2026-11-22T09:30:00Z", severity: "medium", ruleId: "rule-shell", imageName: "alpine" });
    await seed({ timestamp: "2026-11-23T01:00:00Z", severity: "medium", containerName: "api-2" });
    await seed({ timestamp: "2026-10-01T00:00:00Z", severity: "critical", ruleId: "rule-old" }); // outside 7d

    const figures = await dashboardFigures("7d", NOW);
    expect(figures.bucket).toBe("6h");
    expect(figures.total).toBe(3);
    expect(nonEmpty(figures.overTime)).toEqual([
      { start: "2026-11-22T06:00:00.000Z", low: 0, medium: 1, high: 1, critical: 0 },
      { start: "2026-11-23T00:00:00.000Z", low: 0, medium: 1, high: 0, critical: 0 },
    ]);
    // Every 6 hours from the range's start (2026-11-16T12) to now, empty ones included.
    expect(figures.overTime).toHaveLength(29);
    expect(figures.overTime[0]?.start).toBe("2026-11-16T12:00:00.000Z");
    expect(figures.overTime.at(-1)?.start).toBe("2026-11-23T12:00:00.000Z");
    expect(figures.topRules).toEqual([
      { ruleId: "rule-shell", ruleName: "Rule rule-shell", count: 2 },
      { ruleId: "rule-net", ruleName: "Rule rule-net", count: 1 },
    ]);
    expect(figures.topImages).toEqual([
      { imageName: "alpine", count: 2 },
      { imageName: "nginx", count: 1 },
    ]);
    expect(figures.topContainers[0]).toEqual({ containerId: "c-web-1", containerName: "web-1", count: 2 });

    const all = await dashboardFigures("all", NOW);
    expect(all.total).toBe(4);
    expect(all.topRules.map((rule) => rule.ruleId)).toContain("rule-old");
  });

  it("uses hours for the last day", async () => {
    await seed({ timestamp: "2026-11-23T10:15:00Z" });
    await seed({ timestamp: "2026-11-23T10:45:00Z", severity: "low" });
    const figures = await dashboardFigures("24h", NOW);
    expect(figures.bucket).toBe("hour");
    expect(figures.overTime).toHaveLength(25);
    expect(nonEmpty(figures.overTime)).toEqual([
      { start: "2026-11-23T10:00:00.000Z", low: 1, medium: 1, high: 0, critical: 0 },
    ]);
  });

  it("over all time, spans the first to the last alert in buckets few enough to draw, summing every alert", async () => {
    // One alert a day for 400 days (about 13 months), every fifth one high: by day, 400 bars.
    const first = Date.parse("2025-07-01T12:00:00Z");
    for (let day = 0; day < 400; day++) {
      await seed({
        timestamp: new Date(first + day * 86_400_000).toISOString(),
        severity: day % 5 === 0 ? "high" : "medium",
      });
    }
    const all = await dashboardFigures("all", NOW);
    expect(all.total).toBe(400);
    expect(all.bucket).toBe("week");
    expect(all.overTime.length).toBeLessThanOrEqual(MAX_BUCKETS);
    // Weeks start on Monday: 2025-07-01 is a Tuesday, the last alert (2026-08-04) another Tuesday.
    expect(all.overTime[0]?.start).toBe("2025-06-30T00:00:00.000Z");
    expect(all.overTime.at(-1)?.start).toBe("2026-08-03T00:00:00.000Z");
    expect(all.overTime).toHaveLength(58);
    expect(all.overTime.reduce((sum, bucket) => sum + bucket.high, 0)).toBe(80);
    expect(all.overTime.reduce((sum, bucket) => sum + bucket.medium, 0)).toBe(320);
    // A whole week inside the data holds seven alerts, one or two of them high.
    for (const bucket of all.overTime.slice(1, -1)) {
      expect(bucket.medium + bucket.high).toBe(7);
      expect(bucket.high).toBeGreaterThanOrEqual(1);
    }
    expect(all.overTime[0]).toMatchObject({ medium: 4, high: 2 }); // Tuesday to Sunday: days 0 and 5 are high
    expect(all.overTime.at(-1)).toMatchObject({ medium: 2, high: 0 }); // Monday and Tuesday
  });

  it("over all time, spreads alerts years apart into months or longer", async () => {
    await seed({ timestamp: "2023-03-10T08:00:00Z", severity: "low" });
    await seed({ timestamp: "2026-11-23T10:00:00Z", severity: "critical" });
    const all = await dashboardFigures("all", NOW);
    expect(all.bucket).toBe("month");
    expect(all.overTime[0]).toEqual({ start: "2023-03-01T00:00:00.000Z", low: 1, medium: 0, high: 0, critical: 0 });
    expect(all.overTime.at(-1)).toEqual({
      start: "2026-11-01T00:00:00.000Z",
      low: 0,
      medium: 0,
      high: 0,
      critical: 1,
    });
    expect(all.overTime).toHaveLength(45);
  });

  it("over all time, shows a single burst by the hour", async () => {
    await seed({ timestamp: "2024-02-29T23:10:00Z", severity: "high" });
    await seed({ timestamp: "2024-03-01T01:50:00Z" });
    const all = await dashboardFigures("all", NOW);
    expect(all.bucket).toBe("hour");
    expect(all.overTime.map((bucket) => [bucket.start, bucket.high + bucket.medium])).toEqual([
      ["2024-02-29T23:00:00.000Z", 1],
      ["2024-03-01T00:00:00.000Z", 0],
      ["2024-03-01T01:00:00.000Z", 1],
    ]);
  });

  it("stretches a range to an alert stamped in the future, choosing buckets for the whole span", async () => {
    await seed({ timestamp: "2026-11-23T10:15:00Z" });
    await seed({ timestamp: "2031-01-01T00:00:00Z", severity: "critical" }); // a sensor's clock years ahead
    const figures = await dashboardFigures("24h", NOW);
    expect(figures.total).toBe(2);
    expect(figures.bucket).toBe("month");
    expect(figures.overTime).toHaveLength(51); // Nov 2026 to Jan 2031
    expect(nonEmpty(figures.overTime).map((bucket) => bucket.start)).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2031-01-01T00:00:00.000Z",
    ]);
  });

  it("counts every alert by status and averages the time to acknowledge and to close", async () => {
    await seed({ timestamp: "2026-11-23T10:00:00Z", status: "acknowledged", acknowledgedAfterMinutes: 10 });
    await seed({
      timestamp: "2026-11-23T10:00:00Z",
      status: "closed",
      acknowledgedAfterMinutes: 20,
      closedAfterMinutes: 60,
    });
    await seed({ timestamp: "2026-11-23T10:00:00Z" });
    const figures = await dashboardFigures("24h", NOW);
    expect(Object.fromEntries(figures.byStatus.map((entry) => [entry.status, entry.count]))).toEqual({
      acknowledged: 1,
      closed: 1,
      open: 1,
    });
    expect(figures.meanMinutesToAcknowledge).toBe(15);
    expect(figures.meanMinutesToClose).toBe(60);
  });

  it("answers with empty figures when there are no alerts", async () => {
    const figures = await dashboardFigures("30d", NOW);
    expect(figures).toMatchObject({ total: 0, overTime: [], topRules: [], byStatus: [], meanMinutesToClose: null });
  });
});

describe("the rollup the dashboard reads", () => {
  type Row = { dimension: string; key: string; n: number | bigint };

  /** The rollup's totals per dimension and key, against the same counts straight from Alert. */
  async function rollupMatchesAlerts(): Promise<void> {
    const rollup = await prisma().$queryRaw<Row[]>`SELECT "dimension", "key", SUM("count") AS n FROM "AlertRollup"
      WHERE "dimension" IN ('severity', 'status', 'rule', 'container', 'container-day', 'image')
      GROUP BY 1, 2 HAVING SUM("count") <> 0 ORDER BY 1, 2`;
    const truth = await prisma().$queryRaw<Row[]>`
      SELECT 'container' AS dimension, "containerId" AS key, COUNT(*) AS n FROM "Alert" WHERE "containerId" IS NOT NULL GROUP BY 2
      UNION ALL SELECT 'container-day', "containerId", COUNT(*) FROM "Alert" WHERE "containerId" IS NOT NULL GROUP BY 2
      UNION ALL SELECT 'image', "imageName", COUNT(*) FROM "Alert" WHERE "imageName" IS NOT NULL GROUP BY 2
      UNION ALL SELECT 'rule', "ruleId", COUNT(*) FROM "Alert" GROUP BY 2
      UNION ALL SELECT 'severity', "severity", COUNT(*) FROM "Alert" GROUP BY 2
      UNION ALL SELECT 'status', "status", COUNT(*) FROM "Alert" GROUP BY 2
      ORDER BY 1, 2`;
    const plain = (rows: Row[]) => rows.map((row) => [row.dimension, row.key, Number(row.n)]);
    expect(plain(rollup)).toEqual(plain(truth));
  }

  it("stays equal to the alerts through triage, edits and deletions", async () => {
    await seed({ timestamp: "2026-11-23T10:00:00Z", severity: "high" });
    await seed({ timestamp: "2026-11-22T23:30:00Z", containerName: "db-1", imageName: "postgres" });
    await seed({ timestamp: "2026-11-20T08:00:00Z", ruleId: "rule-shell", imageName: null, containerName: null });
    await rollupMatchesAlerts();

    const [first, second, third] = await prisma().alert.findMany({ orderBy: { timestamp: "desc" } });
    const ackAt = new Date("2026-11-23T09:30:00Z");
    await prisma().alert.update({ where: { id: first!.id }, data: { status: "acknowledged", acknowledgedAt: ackAt } });
    await prisma().alert.update({
      where: { id: second!.id },
      data: { status: "closed", closedAt: new Date("2026-11-23T11:00:00Z"), severity: "critical" },
    });
    await rollupMatchesAlerts();
    expect((await dashboardFigures("24h", NOW)).meanMinutesToAcknowledge).toBe(30);

    // reopening takes the close back out of the mean
    await prisma().alert.update({ where: { id: second!.id }, data: { status: "open", closedAt: null } });
    await prisma().alert.update({ where: { id: third!.id }, data: { containerId: "c-late", containerName: "late" } });
    await prisma().alert.delete({ where: { id: first!.id } });
    await rollupMatchesAlerts();
    const figures = await dashboardFigures("all", NOW);
    expect(figures.meanMinutesToAcknowledge).toBeNull();
    expect(figures.meanMinutesToClose).toBeNull();
    expect(figures.total).toBe(2);
  });

  it("counts containers exactly across the hours before the first whole day of the range", async () => {
    // NOW is 12:00, so "last 7 days" starts at 12:00 on the 16th: 12 hours of the 16th, then whole days
    await seed({ timestamp: "2026-11-16T11:59:00Z", containerName: "edge" }); // before the range
    await seed({ timestamp: "2026-11-16T12:00:00Z", containerName: "edge" }); // first hour of the range
    await seed({ timestamp: "2026-11-16T23:59:00Z", containerName: "edge" });
    await seed({ timestamp: "2026-11-17T00:00:00Z", containerName: "edge" });
    const figures = await dashboardFigures("7d", NOW);
    expect(figures.topContainers).toEqual([{ containerId: "c-edge", containerName: "edge", count: 3 }]);
    expect(figures.total).toBe(3);
  });
});
