import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertListQuerySchema, listAlerts, listQuerySql, planList } from "../../alert-list";
import { seedRule } from "../../alert-test-fixtures";
import { prisma } from "../../client";
import { useTestPostgresDatabase } from "./test-cluster";

/**
 * The alert list on PostgreSQL with status and severity filters under every sort: the right rows in the right
 * order, and the conditions on the plain columns, whose statistics PostgreSQL's planner needs (lib/db/alert-list.ts,
 * hiddenFromIndexes: with SQLite's no-op wrappers it expected a handful of matches and sorted them all).
 */

const RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;
type Severity = keyof typeof RANK;
const SHAPES: [Severity, number, string][] = [
  ["critical", 99, "open"],
  ["high", 73, "open"],
  ["high", 73, "closed"],
  ["medium", 47, "open"],
  ["low", 21, "open"],
  ["critical", 99, "acknowledged"],
];

beforeAll(async () => {
  await useTestPostgresDatabase();
  for (const severity of Object.keys(RANK) as Severity[]) {
    await seedRule(prisma(), { id: `rule-${severity}`, name: `Rule ${severity}`, severity });
  }
  // Three rounds of every shape, an hour apart, so each sort has ties to break by time and id.
  let n = 0;
  for (let round = 0; round < 3; round++) {
    for (const [severity, riskScore, status] of SHAPES) {
      n++;
      await prisma().alert.create({
        data: {
          ruleId: `rule-${severity}`,
          ruleName: `Rule ${severity}`,
          severity,
          severityRank: RANK[severity],
          riskScore,
          status,
          dedupKey: `pg-list-${n}`,
          timestamp: new Date(Date.UTC(2026, 10, 20, 10 + round, n)),
        },
      });
    }
  }
});
afterAll(async () => {
  await prisma().$disconnect();
});

describe("alert list on PostgreSQL", () => {
  it("finds open high and critical alerts by risk, newest first within a score", async () => {
    const page = await listAlerts({ status: ["open"], severity: ["high", "critical"], sort: "risk" });
    const rows = page.items.map((item) => [item.severity, item.status, item.timestamp.toISOString()]);
    expect(rows).toHaveLength(6);
    expect(rows.map(([severity]) => severity)).toEqual(["critical", "critical", "critical", "high", "high", "high"]);
    expect(rows.every(([, status]) => status === "open")).toBe(true);
    const critical = rows.slice(0, 3).map(([, , at]) => at as string);
    expect(critical).toEqual([...critical].sort().reverse());
  });

  it("gives every status and severity filter under every sort the rows and order of the whole table sorted", async () => {
    const all = await prisma().alert.findMany();
    const order = {
      newest: (a: (typeof all)[number], b: (typeof all)[number]) =>
        b.timestamp.getTime() - a.timestamp.getTime() || (b.id < a.id ? -1 : 1),
      oldest: (a: (typeof all)[number], b: (typeof all)[number]) =>
        a.timestamp.getTime() - b.timestamp.getTime() || (a.id < b.id ? -1 : 1),
      severity: (a: (typeof all)[number], b: (typeof all)[number]) =>
        b.severityRank - a.severityRank || b.timestamp.getTime() - a.timestamp.getTime() || (b.id < a.id ? -1 : 1),
      risk: (a: (typeof all)[number], b: (typeof all)[number]) =>
        b.riskScore - a.riskScore || b.timestamp.getTime() - a.timestamp.getTime() || (b.id < a.id ? -1 : 1),
    } as const;
    for (const sort of ["newest", "oldest", "severity", "risk"] as const) {
      for (const status of [["open"], ["acknowledged", "closed"]]) {
        for (const severity of [["critical"], ["high", "low"]]) {
          const page = await listAlerts({ status, severity, sort } as never);
          const expected = all
            .filter((alert) => status.includes(alert.status) && severity.includes(alert.severity))
            .sort(order[sort])
            .map((alert) => alert.id);
          expect(
            page.items.map((item) => item.id),
            `${sort} ${status} ${severity}`,
          ).toEqual(expected);
        }
      }
    }
  });

  it("puts status and severity on the plain columns, never in SQLite's index-hiding expressions", async () => {
    for (const sort of ["newest", "severity", "risk"] as const) {
      const query = AlertListQuerySchema.parse({ status: "open,closed", severity: "high,critical", sort });
      const sql = listQuerySql(query, await planList(query)).sql;
      expect(sql).not.toContain(`|| ''`);
      expect(sql).not.toContain(`+ 0)`);
      expect(sql).toContain(`a."status"`);
    }
  });
});
