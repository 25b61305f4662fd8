// Creates the next migration, prisma/migrations/<UTC timestamp>_<name>/migration.sql:
// the SQL that takes a database built from the committed migrations to what
// prisma/schema.prisma describes. (`prisma migrate dev` needs a downloaded engine.)
// Then the same for PostgreSQL: prisma/postgresql/schema.prisma is derived again (scripts/pg-schema.mjs) and
// prisma/postgresql/migrations/<same timestamp>_<name>/migration.sql diffed on a throw-away cluster
// (scripts/pg-cluster.mjs). SQL that Prisma cannot describe (triggers) is added by hand to both.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { startCluster } from "./pg-cluster.mjs";
import { POSTGRES_SCHEMA, postgresSchema, SQLITE_SCHEMA } from "./pg-schema.mjs";
import { postgresSchemaDiff, schemaDiff } from "./schema-diff.mjs";

const root = path.resolve(import.meta.dirname, "..");
const migrationsDir = path.join(root, "prisma", "migrations");

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name>   (lower-case letters, digits and _ only)");
  process.exit(2);
}

const committed = fs.existsSync(migrationsDir)
  ? fs
      .readdirSync(migrationsDir)
      .filter((entry) => fs.existsSync(path.join(migrationsDir, entry, "migration.sql")))
      .sort()
  : [];
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-migration-"));
try {
  const scratch = path.join(scratchDir, "scratch.db");
  const db = new Database(scratch);
  for (const dir of committed) db.exec(fs.readFileSync(path.join(migrationsDir, dir, "migration.sql"), "utf8"));
  db.close();
  const sql = await schemaDiff({
    databaseFile: scratch,
    schemaPath: path.join(root, "prisma", "schema.prisma"),
    configDir: root,
  });
  if (sql === "") {
    console.log("No changes: prisma/schema.prisma already matches the committed migrations.");
  } else {
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
    fs.writeFileSync(path.join(migrationsDir, "migration_lock.toml"), 'provider = "sqlite"\n');
    console.log(`Created ${path.relative(root, dir)}/migration.sql`);
  }
} finally {
  fs.rmSync(scratchDir, { recursive: true, force: true });
}

const pgMigrationsDir = path.join(root, "prisma", "postgresql", "migrations");
fs.writeFileSync(POSTGRES_SCHEMA, postgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
const cluster = await startCluster();
try {
  const url = cluster.createDatabase("scratch");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pgCommitted = fs
      .readdirSync(pgMigrationsDir)
      .filter((entry) => fs.existsSync(path.join(pgMigrationsDir, entry, "migration.sql")))
      .sort();
    for (const dir of pgCommitted)
      await client.query(fs.readFileSync(path.join(pgMigrationsDir, dir, "migration.sql"), "utf8"));
  } finally {
    await client.end();
  }
  const sql = await postgresSchemaDiff({ url, schemaPath: POSTGRES_SCHEMA, configDir: root });
  if (sql === "") {
    console.log("No changes: prisma/postgresql/schema.prisma already matches the committed PostgreSQL migrations.");
  } else {
    const dir = path.join(pgMigrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), `-- sqlite: ${stamp}_${name}\n${sql}\n`);
    console.log(`Created ${path.relative(root, dir)}/migration.sql`);
  }
} finally {
  cluster.stop();
}
