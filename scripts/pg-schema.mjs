// prisma/schema.prisma (SQLite) stays the one place where models are written. This derives the PostgreSQL schema,
// prisma/postgresql/schema.prisma, from it: the client that `npm run generate` makes into lib/generated/prisma-pg and
// the model that the PostgreSQL migrations are diffed against. A test (lib/db/dialect/postgresql/schema.test.ts)
// fails when the committed file is not what this script makes; `node scripts/pg-schema.mjs` (or
// `npm run db:new-migration`) writes it again.
//
// What differs from the SQLite schema:
// - the datasource provider, and the generated client's folder;
// - DateTime columns are `timestamptz(3)`: an instant, whatever time zone a connection or server is set to
//   (two app instances, psql sessions, triggers); Prisma's default `timestamp(3)` would depend on it;
// - Alert gets the trigram GIN index that the alert list's free-text search uses (pg_trgm, made by the migrations;
//   SQLite has its FTS5 table, which Prisma cannot describe, instead).
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
export const SQLITE_SCHEMA = path.join(root, "prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join(root, "prisma", "postgresql", "schema.prisma");

/** The alert columns the free text searches (lib/db/alert-search.ts SEARCHED_COLUMNS), in the index's order. */
export const SEARCHED_COLUMNS = [
  "ruleName",
  "containerName",
  "imageName",
  "hostName",
  "processName",
  "commandLine",
  "userName",
];
export const SEARCH_INDEX = "Alert_search_trgm_idx";

const HEADER = `// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs: do not edit; change prisma/schema.prisma and run
// \`node scripts/pg-schema.mjs\`. The PostgreSQL models for DATABASE_URL=postgresql://… (lib/db/dialect/postgresql);
// migrations in prisma/postgresql/migrations. The comments below are the SQLite schema's.
`;

function fail(message) {
  throw new Error(`scripts/pg-schema.mjs: ${message} (prisma/schema.prisma changed shape?)`);
}

/** @param {string} sqlite the SQLite schema's text @returns {string} the PostgreSQL schema's text */
export function postgresSchema(sqlite) {
  const start = sqlite.indexOf("generator client");
  if (start < 0) fail("no `generator client` block");
  let text = sqlite.slice(start);

  const output = /output\s*=\s*"\.\.\/lib\/generated\/prisma"/;
  if (!output.test(text)) fail('the generator\'s output is not "../lib/generated/prisma"');
  text = text.replace(output, 'output        = "../../lib/generated/prisma-pg"');

  const provider = /(datasource db \{\s*provider\s*=\s*)"sqlite"/;
  if (!provider.test(text)) fail('the datasource provider is not "sqlite"');
  text = text.replace(provider, '$1"postgresql"');

  // A field line: name, type DateTime (optional or not), then its attributes, if any; no schema line has a comment after a field.
  text = text.replace(/^(\s+\w+\s+DateTime\??\b.*?)[^\S\n]*$/gm, (_line, field) => {
    if (field.includes("//")) fail(`a comment after a DateTime field: ${field.trim()}`);
    return `${field} @db.Timestamptz(3)`;
  });

  const alert = /(\nmodel Alert \{\n[\s\S]*?)(\n\})/;
  if (!alert.test(text)) fail("no `model Alert`");
  const columns = SEARCHED_COLUMNS.map((column) => `${column}(ops: raw("gin_trgm_ops"))`).join(", ");
  text = text.replace(
    alert,
    `$1\n  // free-text search (lib/db/dialect/postgresql/alert-search.ts): pg_trgm's GIN index, one column each\n` +
      `  @@index([${columns}], type: Gin, map: "${SEARCH_INDEX}")$2`,
  );
  return HEADER + text;
}

// `node scripts/pg-schema.mjs`: writes prisma/postgresql/schema.prisma; `--check` only says whether it is current.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const wanted = postgresSchema(fs.readFileSync(SQLITE_SCHEMA, "utf8"));
  const current = fs.existsSync(POSTGRES_SCHEMA) ? fs.readFileSync(POSTGRES_SCHEMA, "utf8") : null;
  if (process.argv.includes("--check")) {
    if (current !== wanted) {
      console.error("prisma/postgresql/schema.prisma is out of date: run `node scripts/pg-schema.mjs`");
      process.exit(1);
    }
  } else if (current !== wanted) {
    fs.mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
    fs.writeFileSync(POSTGRES_SCHEMA, wanted);
    console.log(`wrote ${path.relative(root, POSTGRES_SCHEMA)}`);
  }
}
