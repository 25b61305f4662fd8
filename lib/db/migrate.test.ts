import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schemaDiff } from "../../scripts/schema-diff.mjs";
import { applyMigrations, MigrationError, migrationStatus, readMigrationFiles } from "./migrate";

const root = path.resolve(import.meta.dirname, "..", "..");
const committedMigrations = path.join(root, "prisma", "migrations");

let dir: string;
let dbFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-migrate-"));
  dbFile = path.join(dir, "nested", "keelwatch.db");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function copyMigrations(): string {
  const target = path.join(dir, "migrations");
  fs.cpSync(committedMigrations, target, { recursive: true });
  return target;
}

function addMigration(migrationsDir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(migrationsDir, name));
  fs.writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
}

describe("applyMigrations", () => {
  it("builds exactly the schema that prisma/schema.prisma describes", async () => {
    applyMigrations(dbFile, committedMigrations);
    const drift = await schemaDiff({
      databaseFile: dbFile,
      schemaPath: path.join(root, "prisma", "schema.prisma"),
      configDir: root,
    });
    expect(drift).toBe("");
  });

  it("ignores only the full-text index and its shadow tables when comparing with the schema", async () => {
    applyMigrations(dbFile, committedMigrations);
    const db = new Database(dbFile);
    db.exec(`CREATE TABLE "AlertSearch_stray" ("id" INTEGER)`);
    db.close();
    const drift = await schemaDiff({
      databaseFile: dbFile,
      schemaPath: path.join(root, "prisma", "schema.prisma"),
      configDir: root,
    });
    expect(drift).toContain(`DROP TABLE "AlertSearch_stray"`);
    expect(drift).not.toMatch(/DROP TABLE "AlertSearch(_data|_idx|_config|_docsize)?"/);
  });

  it("applies every committed migration once and records it in Prisma's history table", () => {
    const names = readMigrationFiles(committedMigrations).map((m) => m.name);
    expect(applyMigrations(dbFile, committedMigrations)).toEqual(names);
    expect(applyMigrations(dbFile, committedMigrations)).toEqual([]);
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations"`).all();
    db.close();
    expect(rows).toHaveLength(names.length);
    const status = migrationStatus(dbFile, committedMigrations);
    expect(status.pending).toEqual([]);
    expect(status.modified).toEqual([]);
  });

  it("turns on WAL so readers are not blocked by an upload", () => {
    applyMigrations(dbFile, committedMigrations);
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses to run when an applied migration's file was edited", () => {
    const migrations = copyMigrations();
    applyMigrations(dbFile, migrations);
    const [first] = readMigrationFiles(migrations);
    fs.appendFileSync(path.join(migrations, first!.name, "migration.sql"), "\n-- edited later\n");
    expect(() => applyMigrations(dbFile, migrations)).toThrowError(MigrationError);
    expect(() => applyMigrations(dbFile, migrations)).toThrowError(/was changed after it was applied/);
    expect(migrationStatus(dbFile, migrations).modified).toEqual([first!.name]);
  });

  it("rolls a failing migration back completely and names it", () => {
    const migrations = copyMigrations();
    applyMigrations(dbFile, migrations);
    addMigration(migrations, "99990101000000_broken", 'CREATE TABLE "Half" ("id" INTEGER);\nTHIS IS NOT SQL;\n');
    expect(() => applyMigrations(dbFile, migrations)).toThrowError(/99990101000000_broken failed/);
    const db = new Database(dbFile, { readonly: true });
    const half = db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Half'`).get();
    db.close();
    expect(half).toBeUndefined();
    expect(migrationStatus(dbFile, migrations).pending).toEqual(["99990101000000_broken"]);
  });

  it("runs table rebuilds that toggle foreign keys, keeping the data", () => {
    const migrations = copyMigrations();
    applyMigrations(dbFile, migrations);
    const db = new Database(dbFile);
    db.prepare(`INSERT INTO "ValueList" (id, name) VALUES ('l1', 'known hosts')`).run();
    db.prepare(`INSERT INTO "ValueListItem" (listId, value) VALUES ('l1', 'ci-runner')`).run();
    db.close();
    addMigration(
      migrations,
      "99990101000000_rebuild",
      [
        "PRAGMA foreign_keys=OFF;",
        'CREATE TABLE "new_ValueList" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "kind" TEXT NOT NULL DEFAULT \'keyword\');',
        'INSERT INTO "new_ValueList" ("id", "name", "createdAt") SELECT "id", "name", "createdAt" FROM "ValueList";',
        'DROP TABLE "ValueList";',
        'ALTER TABLE "new_ValueList" RENAME TO "ValueList";',
        'CREATE UNIQUE INDEX "ValueList_name_key" ON "ValueList"("name");',
        "PRAGMA foreign_keys=ON;",
      ].join("\n"),
    );
    expect(applyMigrations(dbFile, migrations)).toEqual(["99990101000000_rebuild"]);
    const check = new Database(dbFile, { readonly: true });
    expect(check.prepare(`SELECT value FROM "ValueListItem"`).all()).toEqual([{ value: "ci-runner" }]);
    expect(check.prepare(`SELECT kind FROM "ValueList"`).get()).toEqual({ kind: "keyword" });
    check.close();
  });
});
