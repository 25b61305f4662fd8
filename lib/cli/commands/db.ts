import { databaseFile, databaseUrl } from "../../db/config";
import { applyMigrations, MigrationError, migrationStatus } from "../../db/migrate";
import type { CliCommand } from "../io";
import { UsageError } from "../io";

const help = `Usage: keelwatch db <migrate|status>

  migrate   apply the committed migrations (prisma/migrations) that the database lacks
  status    list applied and pending migrations; exit 1 if the history does not match

The database is DATABASE_URL (default file:./data/keelwatch.db), resolved against the current directory.`;

export const dbCommand: CliCommand = {
  summary: "apply or inspect database migrations",
  help,
  async run(argv, io) {
    const [action, ...extra] = argv;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const file = databaseFile(databaseUrl(io.env), io.cwd);
    try {
      if (action === "migrate") {
        const applied = applyMigrations(file);
        io.stdout.write(
          applied.length === 0
            ? `Database ${file} is up to date.\n`
            : `Applied ${applied.length} migration(s) to ${file}:\n${applied.map((name) => `  ${name}\n`).join("")}`,
        );
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
    throw new UsageError(action === undefined ? "missing action: migrate or status" : `unknown action "${action}"`);
  },
};
