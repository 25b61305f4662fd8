import fs from "node:fs";
import Database from "better-sqlite3";
import { databaseFile, databaseUrl } from "../../db/config";
import { dialect } from "../../db/dialect";
import { redactUrl } from "../../db/dialect/postgresql/migrate";
import { postgresStoredTotals } from "../../db/dialect/postgresql/totals";
import { sqliteDiskBytes } from "../../db/dialect/sqlite/storage";
import { convertLegacyEvents } from "../../db/events/convert";
import { storedTotals } from "../../db/events/totals";
import { applyMigrations, MigrationError, migrationStatus } from "../../db/migrate";
import { inspectDatabase, openForReading } from "../../db/read-only";
import type { CliCommand, CliIO } from "../io";
import { UsageError } from "../io";
import { copyCommand } from "./db-copy";

const help = `Usage: keelwatch db <migrate|status|vacuum>
       keelwatch db copy --to postgresql://USER:PASSWORD@HOST:PORT/DATABASE

  migrate   apply the committed migrations (prisma/migrations) that the database lacks, then move the
            documents of events stored before event blocks into blocks (in batches, with its progress on
            stderr; Ctrl-C stops it between batches, and the next run goes on where it stopped)
  status    list applied and pending migrations, then the stored totals, one per line ("events N",
            "alerts N", ..., "disk_bytes N": the file with its WAL, or pg_database_size on PostgreSQL);
            exit 1 if the history does not match
  vacuum    rewrite the database file without its free pages, giving the space that retention and the
            block conversion freed back to the file system (needs free disk space about the file's size,
            and holds the database for writes while it runs)
  copy      copy the SQLite database into the PostgreSQL database --to names, whole (every table, ids
            kept), after migrating it; all or nothing, in one transaction, with its progress on stderr;
            then print each table's row count on both sides and exit 1 if any differs. The target must
            be empty or a previous copy of the same file: run again, it writes only what changed since

The database is DATABASE_URL (default file:./data/keelwatch.db), resolved against the current directory;
a postgresql:// URL is a PostgreSQL database (migrations in prisma/postgresql/migrations; vacuum is for SQLite).`;

export const dbCommand: CliCommand = {
  summary: "apply or inspect database migrations",
  help,
  async run(argv, io) {
    const [action, ...extra] = argv;
    if (action === "copy") return copyCommand(extra, io);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const url = databaseUrl(io.env);
    if (dialect(url).name === "postgresql") return runOnPostgres(action, url, io);
    const file = databaseFile(url, io.cwd);
    try {
      if (action === "migrate") {
        const applied = applyMigrations(file);
        io.stdout.write(
          applied.length === 0
            ? `Database ${file} is up to date.\n`
            : `Applied ${applied.length} migration(s) to ${file}:\n${applied.map((name) => `  ${name}\n`).join("")}`,
        );
        // A read-only database is served as it is (lib/db/read-only.ts): nothing to convert there.
        if (inspectDatabase(file).writable) convertWithProgress(file, io);
        return 0;
      }
      if (action === "vacuum") {
        const before = fs.statSync(file).size;
        const db = new Database(file);
        try {
          db.exec("VACUUM");
        } finally {
          db.close();
        }
        const after = fs.statSync(file).size;
        io.stdout.write(`Vacuumed ${file}: ${megabytes(before)} -> ${megabytes(after)}.\n`);
        return 0;
      }
      if (action === "status") {
        const status = migrationStatus(file);
        const lines = [`Database: ${file}`];
        for (const row of status.applied) lines.push(`  applied   ${row.name}  (${row.finishedAt})`);
        for (const name of status.pending) lines.push(`  pending   ${name}`);
        for (const name of status.modified)
          lines.push(`  MODIFIED  ${name}: its migration.sql changed after it was applied`);
        for (const name of status.missing) lines.push(`  MISSING   ${name}: applied, but its folder is gone`);
        lines.push(...totalsLines(file));
        io.stdout.write(`${lines.join("\n")}\n`);
        return status.modified.length > 0 || status.missing.length > 0 ? 1 : 0;
      }
    } catch (error) {
      if (error instanceof MigrationError) {
        io.stderr.write(`keelwatch db: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    throw new UsageError(
      action === undefined ? "missing action: migrate, status, vacuum or copy" : `unknown action "${action}"`,
    );
  },
};

/** migrate and status on PostgreSQL: the same output, with the URL (password hidden) for the file. */
async function runOnPostgres(action: string | undefined, url: string, io: CliIO): Promise<number> {
  const where = redactUrl(url);
  try {
    if (action === "migrate") {
      const applied = await dialect(url).applyMigrations(url);
      io.stdout.write(
        applied.length === 0
          ? `Database ${where} is up to date.\n`
          : `Applied ${applied.length} migration(s) to ${where}:\n${applied.map((name) => `  ${name}\n`).join("")}`,
      );
      return 0;
    }
    if (action === "status") {
      const status = await dialect(url).migrationStatus(url);
      const lines = [`Database: ${where}`];
      for (const row of status.applied) lines.push(`  applied   ${row.name}  (${row.finishedAt})`);
      for (const name of status.pending) lines.push(`  pending   ${name}`);
      for (const name of status.modified)
        lines.push(`  MODIFIED  ${name}: its migration.sql changed after it was applied`);
      for (const name of status.missing) lines.push(`  MISSING   ${name}: applied, but its folder is gone`);
      const totals = await postgresStoredTotals(url);
      lines.push(`events ${totals.events}`, `alerts ${totals.alerts}`, `blocks ${totals.blocks}`);
      lines.push(`block_bytes ${totals.blockBytes}`, `block_raw_bytes ${totals.rawBytes}`);
      lines.push(`disk_bytes ${totals.diskBytes}`);
      if (totals.legacyEvents > 0) lines.push(`events_not_in_blocks ${totals.legacyEvents}`);
      io.stdout.write(`${lines.join("\n")}\n`);
      return status.modified.length > 0 || status.missing.length > 0 ? 1 : 0;
    }
    if (action === "vacuum") {
      io.stderr.write(
        "keelwatch db: vacuum rewrites a SQLite file; PostgreSQL reclaims space with autovacuum (VACUUM FULL gives it back to the file system)\n",
      );
      return 1;
    }
  } catch (error) {
    if (error instanceof MigrationError) {
      io.stderr.write(`keelwatch db: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  throw new UsageError(
    action === undefined ? "missing action: migrate, status, vacuum or copy" : `unknown action "${action}"`,
  );
}

/** The stored totals, one `name N` per line (shared/docs/contract.md: outside checks count with them). */
function totalsLines(file: string): string[] {
  if (!fs.existsSync(file)) return ["events 0", "alerts 0"];
  const db = openForReading(file);
  try {
    const totals = storedTotals(db);
    const lines = [`events ${totals.events}`, `alerts ${totals.alerts}`, `blocks ${totals.blocks}`];
    lines.push(`block_bytes ${totals.blockBytes}`, `block_raw_bytes ${totals.rawBytes}`);
    lines.push(`disk_bytes ${sqliteDiskBytes(file)}`);
    if (totals.legacyEvents > 0) lines.push(`events_not_in_blocks ${totals.legacyEvents}`);
    return lines;
  } finally {
    db.close();
  }
}

/** Moves legacy documents into blocks, reporting progress on stderr; SIGINT stops it between batches. */
function convertWithProgress(file: string, io: CliIO): void {
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.once("SIGINT", onSignal);
  let lastReport = 0;
  try {
    const done = convertLegacyEvents(file, {
      shouldContinue: () => !stop,
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastReport < 1_000 && progress.converted < progress.total) return;
        lastReport = now;
        const percent = Math.floor((100 * progress.converted) / progress.total);
        io.stderr.write(`converting events into blocks: ${progress.converted} of ${progress.total} (${percent}%)\n`);
      },
    });
    if (done.total === 0) return;
    io.stdout.write(
      stop && done.converted < done.total
        ? `Stopped: ${done.converted} of ${done.total} events moved into blocks; run \`keelwatch db migrate\` again to go on.\n`
        : `Moved ${done.converted} events into ${done.blocks} blocks.\n`,
    );
  } finally {
    process.removeListener("SIGINT", onSignal);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
