import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA, postgresSchema, SQLITE_SCHEMA } from "../../../../scripts/pg-schema.mjs";
import { postgresSchemaDiff } from "../../../../scripts/schema-diff.mjs";
import { MigrationError, readMigrationFiles } from "../../migrate";
import { applyPostgresMigrations, defaultPostgresMigrationsDir, postgresMigrationStatus } from "./migrate";
import { createTestPostgresDatabase } from "./test-cluster";

const root = path.resolve(import.meta.dirname, "..", "..", "..", "..");
const committed = defaultPostgresMigrationsDir();

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("prisma/postgresql/schema.prisma", () => {
  it("is what scripts/pg-schema.mjs derives from prisma/schema.prisma (run `node scripts/pg-schema.mjs`)", () => {
    expect(fs.readFileSync(POSTGRES_SCHEMA, "utf8")).toBe(postgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
  });
});

describe("prisma/postgresql/migrations", () => {
  it("name every SQLite migration once in their '-- sqlite:' lines: none is left without its PostgreSQL counterpart", () => {
    const sqlite = readMigrationFiles(path.join(root, "prisma", "migrations")).map((migration) => migration.name);
    const covered = readMigrationFiles(committed).flatMap((migration) =>
      [...migration.sql.matchAll(/^-- sqlite: (.+)$/gm)].flatMap((line) => (line[1] ?? "").trim().split(/\s+/)),
    );
    expect(covered.filter((name) => !sqlite.includes(name))).toEqual([]);
    expect(new Set(covered).size).toBe(covered.length);
    const missing = sqlite.filter((name) => !covered.includes(name));
    // A new SQLite migration needs its PostgreSQL migration (scripts/new-migration.mjs makes the table changes;
    // triggers are translated by hand), naming it in a "-- sqlite:" line.
    expect(missing).toEqual([]);
  });
});

describe("applyPostgresMigrations", () => {
  it("applies every committed migration to an empty database once, then does nothing", async () => {
    const url = await createTestPostgresDatabase();
    const names = readMigrationFiles(committed).map((migration) => migration.name);
    expect(names.length).toBeGreaterThan(1);
    expect(await applyPostgresMigrations(url)).toEqual(names);
    expect(await applyPostgresMigrations(url)).toEqual([]);
    const status = await postgresMigrationStatus(url);
    expect(status.applied.map((row) => row.name)).toEqual(names);
    expect(status).toMatchObject({ pending: [], modified: [], missing: [] });
    const rows = await withClient(
      url,
      async (client) => (await client.query(`SELECT checksum, applied_steps_count FROM "_prisma_migrations"`)).rows,
    );
    expect(rows).toHaveLength(names.length);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.checksum) && row.applied_steps_count === 1)).toBe(true);
  });

  it("builds exactly the schema prisma/postgresql/schema.prisma describes (the schema engine finds nothing to change)", async () => {
    const url = await createTestPostgresDatabase();
    await applyPostgresMigrations(url);
    const drift = await postgresSchemaDiff({ url, schemaPath: POSTGRES_SCHEMA, configDir: root });
    expect(drift).toBe("");
    // and the check can fail: a table the schema lacks is named
    await withClient(url, (client) => client.query(`CREATE TABLE "Stray" ("id" INTEGER)`));
    expect(await postgresSchemaDiff({ url, schemaPath: POSTGRES_SCHEMA, configDir: root })).toContain(
      `DROP TABLE "Stray"`,
    );
  });

  it("applies each migration once when two instances start at the same time", async () => {
    const url = await createTestPostgresDatabase();
    const [a, b] = await Promise.all([applyPostgresMigrations(url), applyPostgresMigrations(url)]);
    expect([...a, ...b].sort()).toEqual(readMigrationFiles(committed).map((migration) => migration.name));
  });

  describe("with a copy of the migrations", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-pg-migrations-"));
      fs.cpSync(committed, dir, { recursive: true });
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses a migration changed after it was applied, and rolls back a failing one whole", async () => {
      const url = await createTestPostgresDatabase();
      await applyPostgresMigrations(url, dir);
      const [first] = readMigrationFiles(dir);
      fs.appendFileSync(path.join(dir, first?.name ?? "", "migration.sql"), "\n-- changed\n");
      await expect(applyPostgresMigrations(url, dir)).rejects.toThrow(/was changed after it was applied/);
      fs.writeFileSync(path.join(dir, first?.name ?? "", "migration.sql"), first?.sql ?? "");

      fs.mkdirSync(path.join(dir, "29991231000000_broken"));
      fs.writeFileSync(
        path.join(dir, "29991231000000_broken", "migration.sql"),
        `CREATE TABLE "Half" ("id" INTEGER);\nSELECT no_such_function();\n`,
      );
      const failure = await applyPostgresMigrations(url, dir).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MigrationError);
      expect((failure as MigrationError).migration).toBe("29991231000000_broken");
      const half = await withClient(
        url,
        async (client) => (await client.query(`SELECT to_regclass('"Half"') AS t`)).rows[0]?.t,
      );
      expect(half).toBeNull();
      expect((await postgresMigrationStatus(url, dir)).pending).toEqual(["29991231000000_broken"]);
    });
  });

  it("names the database it cannot reach, without its password", async () => {
    await expect(applyPostgresMigrations("postgresql://keelwatch:secret@127.0.0.1:1/none")).rejects.toThrow(
      /cannot connect to the PostgreSQL database postgresql:\/\/keelwatch:\*\*\*@127\.0\.0\.1:1\/none/,
    );
  });
});
