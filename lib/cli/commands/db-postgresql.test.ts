import { describe, expect, it } from "vitest";
import { prisma } from "../../db/client";
import { defaultPostgresMigrationsDir } from "../../db/dialect/postgresql/migrate";
import { createTestPostgresDatabase } from "../../db/dialect/postgresql/test-cluster";
import { readMigrationFiles } from "../../db/migrate";
import { runCli } from "../run-for-test";

describe("keelwatch db on a postgresql:// DATABASE_URL", () => {
  it("migrate applies the PostgreSQL migrations, then finds nothing to do; status lists them with the totals", async () => {
    const url = await createTestPostgresDatabase();
    const names = readMigrationFiles(defaultPostgresMigrationsDir()).map((migration) => migration.name);
    const first = await runCli(["db", "migrate"], url);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toContain(`Applied ${names.length} migration(s) to ${url}`);
    for (const name of names) expect(first.out).toContain(`  ${name}\n`);
    const again = await runCli(["db", "migrate"], url);
    expect(again.out).toBe(`Database ${url} is up to date.\n`);
    const status = await runCli(["db", "status"], url);
    expect(status.code).toBe(0);
    const lines = status.out.trim().split("\n");
    expect(lines[0]).toBe(`Database: ${url}`);
    expect(lines.filter((line) => line.startsWith("  applied"))).toHaveLength(names.length);
    expect(lines).toEqual(expect.arrayContaining(["events 0", "alerts 0", "blocks 0"]));
    // The disk the database takes, pg_database_size: an empty PostgreSQL database holds several MB of catalogs.
    const disk = Number(lines.find((line) => line.startsWith("disk_bytes "))?.slice("disk_bytes ".length));
    expect(disk).toBeGreaterThan(1024 * 1024);
  });

  it("hides the password in what it prints and says why it cannot connect", async () => {
    const result = await runCli(["db", "migrate"], "postgresql://kw:hunter2@127.0.0.1:1/keelwatch");
    expect(result.code).toBe(1);
    expect(result.err).toContain("cannot connect to the PostgreSQL database postgresql://kw:***@127.0.0.1:1/keelwatch");
    expect(result.err).not.toContain("hunter2");
  });

  it("refuses vacuum, which is for SQLite files", async () => {
    const url = await createTestPostgresDatabase();
    const result = await runCli(["db", "vacuum"], url);
    expect(result.code).toBe(1);
    expect(result.err).toContain("vacuum rewrites a SQLite file");
  });

  it("the commands that use the database migrate it first and work on it: token create, rules list", async () => {
    const url = await createTestPostgresDatabase();
    process.env.DATABASE_URL = url;
    try {
      const token = await runCli(["token", "create", "--name", "sensor-1", "--role", "ingest"], url);
      expect(token.code).toBe(0);
      expect(token.err).toContain(`Created ingest token "sensor-1"`);
      const rules = await runCli(["rules", "list"], url);
      expect(rules.code).toBe(0);
      const status = await runCli(["db", "status"], url);
      expect(status.out).not.toContain("pending");
      expect(await prisma().apiToken.count({ where: { name: "sensor-1", role: "ingest" } })).toBe(1);
    } finally {
      await prisma().$disconnect();
    }
  });
});
