// Asks Prisma's schema engine (the wasm build: the native one is a download we
// cannot make here) for the SQL that takes an SQLite database to what
// prisma/schema.prisma describes, or a PostgreSQL database to what
// prisma/postgresql/schema.prisma describes. Used to create migrations and, in tests, to
// prove that the committed migrations build exactly the schema.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";

const require = createRequire(import.meta.url);
let enginePromise;

async function loadEngineModule() {
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  // The package's exports hide the .wasm file: find it beside the JS glue.
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasm = fs.readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg;
}

// FTS5 search indexes (migration alert_search) are raw SQL that Prisma cannot
// describe: it sees the virtual table and its shadow tables as plain tables the
// schema lacks and would drop them. Each is passed to the engine as an external
// table, which it leaves alone; any other table still counts.
const FTS5_SHADOW_SUFFIXES = ["", "_config", "_content", "_data", "_docsize", "_idx"];

/** @returns {string[]} the FTS5 virtual tables of the database and their shadow tables */
export function fullTextTables(databaseFile) {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const virtual = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'`)
      .all()
      .map((row) => row.name);
    return virtual.flatMap((name) => FTS5_SHADOW_SUFFIXES.map((suffix) => `${name}${suffix}`));
  } finally {
    db.close();
  }
}

async function diffWith(adapterFactory, { schemaPath, configDir, externalTables }) {
  enginePromise ??= loadEngineModule();
  const bg = await enginePromise;
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const engine = await bg.SchemaEngine.new(
    { datamodels: undefined },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  const files = [{ path: path.relative(configDir, schemaPath), content: fs.readFileSync(schemaPath, "utf8") }];
  const result = await engine.diff({
    from: { tag: "schemaDatasource", files, configDir },
    to: { tag: "schemaDatamodel", files },
    script: true,
    exitCode: null,
    filters: { externalTables, externalEnums: [] },
  });
  const sql = String(result?.stdout ?? "").trim();
  return /^-- This is an empty migration\.?$/i.test(sql) || sql === "" ? "" : sql;
}

/**
 * The schema engine reads PostgreSQL's catalogs, whose one-byte `"char"` columns (OID 18) the pg adapter has no
 * column type for ("Column type 'char' could not be deserialized"). pg reads them as text already; this pool says
 * so in the result's field types. Used only here, for diffing: the app never reads the catalogs.
 */
async function catalogReadingPool(url) {
  const { default: pg } = await import("pg");
  const CHAR_OID = 18;
  const TEXT_OID = 25;
  class CatalogReadingPool extends pg.Pool {
    async query(...args) {
      const result = await super.query(...args);
      for (const field of result?.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
      return result;
    }
  }
  return new CatalogReadingPool({ connectionString: url, max: 2 });
}

/**
 * The SQL that takes the PostgreSQL database at `url` to what `schemaPath` (prisma/postgresql/schema.prisma)
 * describes; "" when it already matches.
 * @param {{ url: string, schemaPath: string, configDir: string }} input
 * @returns {Promise<string>}
 */
export async function postgresSchemaDiff({ url, schemaPath, configDir }) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = await catalogReadingPool(url);
  try {
    return await diffWith(new PrismaPg(pool), { schemaPath, configDir, externalTables: [] });
  } finally {
    await pool.end();
  }
}

/**
 * @param {{ databaseFile: string, schemaPath: string, configDir: string }} input
 * @returns {Promise<string>} the SQL script, or "" when the database already matches
 */
export async function schemaDiff({ databaseFile, schemaPath, configDir }) {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  return diffWith(new PrismaBetterSqlite3({ url: `file:${databaseFile}` }), {
    schemaPath,
    configDir,
    externalTables: fullTextTables(databaseFile),
  });
}
