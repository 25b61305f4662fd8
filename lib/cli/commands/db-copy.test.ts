import { afterAll, describe, expect, it } from "vitest";
import { getAlertDetail } from "../../db/alert-detail";
import { updateAlert } from "../../db/alert-updates";
import { closeBatchWriter } from "../../db/batch-writer";
import { prisma } from "../../db/client";
import { createTestPostgresDatabase } from "../../db/dialect/postgresql/test-cluster";
import { readEventDocuments } from "../../db/events";
import { createTestDatabase } from "../../db/test-database";
import { runCli } from "../run-for-test";

/**
 * `keelwatch db copy` from a real SQLite file with the sample incident (loaded as `keelwatch demo` loads it, then
 * triaged) into a real PostgreSQL database on the test cluster; the app then reads the copy through its own modules.
 */

const source = createTestDatabase();
const globalForPrisma = globalThis as unknown as { keelwatchPrisma?: unknown };

/** Points the app's one Prisma client at `url` (the copy is read through the same modules the server uses). */
async function useDatabase(url: string): Promise<void> {
  await prisma().$disconnect();
  await closeBatchWriter();
  globalForPrisma.keelwatchPrisma = undefined;
  process.env.DATABASE_URL = url;
}

afterAll(async () => {
  await prisma().$disconnect();
  await closeBatchWriter();
  source.cleanup();
});

/**
 * The detail with its related-alert lists in id order: each database breaks ties of equal timestamps its own way,
 * which is the list query's business, not the copy's.
 */
function comparable(detail: Awaited<ReturnType<typeof getAlertDetail>>) {
  if (!detail) return detail;
  const related = Object.fromEntries(
    Object.entries(detail.related).map(([key, value]) => [
      key,
      Array.isArray(value) ? [...value].sort((a, b) => String(a.id).localeCompare(String(b.id))) : value,
    ]),
  );
  return { ...detail, related };
}

/** `table  sqlite  postgresql` lines of the command's output, by table. */
function countsOf(out: string): Map<string, [number, number]> {
  const counts = new Map<string, [number, number]>();
  for (const match of out.matchAll(/^(\w+)\s+(\d+)\s+(\d+)(\s+MISMATCH)?$/gm)) {
    counts.set(match[1] as string, [Number(match[2]), Number(match[3])]);
  }
  return counts;
}

describe("keelwatch db copy --to postgresql://…", () => {
  it("copies the sample incident with its triage whole, verifies the counts, and a second run writes nothing", async () => {
    await useDatabase(source.url);
    const demo = await runCli(["demo"], source.url);
    expect(demo.code).toBe(0);
    const token = await runCli(["token", "create", "--name", "sensor-1", "--role", "ingest"], source.url);
    expect(token.code).toBe(0);
    const alert = await prisma().alert.findFirstOrThrow({ orderBy: { id: "asc" } });
    const triaged = await updateAlert(alert.id, alert.version, { status: "acknowledged" }, null);
    expect(triaged.ok).toBe(true);
    const before = await getAlertDetail(alert.id);
    expect(before?.events.length).toBeGreaterThan(0);
    const eventIds = (before?.events ?? []).map((event) => event.id);
    const documents = await readEventDocuments(eventIds);
    const alerts = await prisma().alert.count();
    const events = await prisma().event.count();
    const maxAuditId = (await prisma().auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0;

    const target = await createTestPostgresDatabase("copy");
    const first = await runCli(["db", "copy", "--to", target], source.url);
    expect(first.err).toContain("migration(s) applied");
    expect(first.err).toContain("copying Event: ");
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Copied .* row\(s\) written, 0 deleted\); row counts verified\.\n$/);
    const counts = countsOf(first.out);
    expect(counts.get("Alert")).toEqual([alerts, alerts]);
    expect(counts.get("Event")).toEqual([events, events]);
    for (const table of ["EventBlock", "AlertEvent", "AlertChange", "Rule", "ApiToken", "AuditLog", "AlertRollup"]) {
      expect(counts.get(table)?.[0], table).toBeGreaterThan(0);
    }
    for (const [table, [sqlite, postgres]] of counts) expect(postgres, table).toBe(sqlite);

    const second = await runCli(["db", "copy", "--to", target], source.url);
    expect(second.code).toBe(0);
    expect(second.out).toContain("Nothing to write");

    // Read through the app on PostgreSQL: the alert with its triage state and its events' documents.
    await useDatabase(target);
    const after = await getAlertDetail(alert.id);
    expect(comparable(after)).toEqual(comparable(before));
    expect(after?.status).toBe("acknowledged");
    expect(await readEventDocuments(eventIds)).toEqual(documents);
    // Kept counts were copied, not counted a second time by the PostgreSQL triggers.
    const perRule = await prisma().alertGroupCount.aggregate({ where: { dimension: "rule" }, _sum: { count: true } });
    expect(perRule._sum.count).toBe(alerts);
    const perHour = await prisma().alertRollup.aggregate({ where: { dimension: "status" }, _sum: { count: true } });
    expect(perHour._sum.count).toBe(alerts);
    // The sequences moved past the copied ids, and the triggers are back on.
    const audit = await prisma().auditLog.create({ data: { action: "test.after-copy", actorLabel: "test" } });
    expect(audit.id).toBe(maxAuditId + 1);
    await prisma().alert.update({ where: { id: alert.id }, data: { status: "open", acknowledgedAt: null } });
    const open = await prisma().alertGroupCount.aggregate({
      where: { dimension: "rule", status: "open" },
      _sum: { count: true },
    });
    expect(open._sum.count).toBe(alerts);

    // Run again after both sides changed: the target follows the source (the audit row goes, the status returns).
    const third = await runCli(["db", "copy", "--to", target], source.url);
    expect(third.code).toBe(0);
    expect(third.out).toMatch(/\(\d+ row\(s\) written, 1 deleted\)/);
    expect(await prisma().auditLog.count({ where: { action: "test.after-copy" } })).toBe(0);
    expect((await getAlertDetail(alert.id))?.status).toBe("acknowledged");
    const rule = await prisma().alertGroupCount.aggregate({ where: { dimension: "rule" }, _sum: { count: true } });
    expect(rule._sum.count).toBe(alerts);
  });

  it("refuses a PostgreSQL database that holds other data, and one that is a copy of another file", async () => {
    const target = await createTestPostgresDatabase("copy");
    await useDatabase(target);
    expect((await runCli(["token", "create", "--name", "other", "--role", "ingest"], target)).code).toBe(0);
    const refused = await runCli(["db", "copy", "--to", target], source.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("already holds data (1 row(s) in ApiToken) and is not a copy of this database");

    const copied = await createTestPostgresDatabase("copy");
    expect((await runCli(["db", "copy", "--to", copied], source.url)).code).toBe(0);
    const other = createTestDatabase();
    try {
      const result = await runCli(["db", "copy", "--to", copied], other.url);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`holds a copy of another SQLite database (${source.file})`);
    } finally {
      other.cleanup();
    }
  });

  it("says what is wrong with its arguments", async () => {
    expect((await runCli(["db", "copy"], source.url)).err).toContain("--to is required");
    expect((await runCli(["db", "copy", "--to", "mysql://x/y"], source.url)).err).toContain(
      "--to must be a postgresql:// URL",
    );
    const fromPostgres = await runCli(["db", "copy", "--to", "postgresql://127.0.0.1:1/x"], "postgresql://h/db");
    expect(fromPostgres.err).toContain("DATABASE_URL must be a file: URL");
  });
});
