import { z } from "zod";
import { databaseFile, databaseUrl } from "../../db/config";
import { dialectName } from "../../db/dialect";
import { CopyRefused, copySqliteToPostgres } from "../../db/dialect/postgresql/copy-from-sqlite";
import { redactUrl } from "../../db/dialect/postgresql/migrate";
import { MigrationError } from "../../db/migrate";
import type { CliIO } from "../io";
import { UsageError } from "../io";
import { parseOptions } from "../options";

const targetUrl = z
  .string({ message: "--to is required: the PostgreSQL database to copy into (postgresql://…)" })
  .regex(/^postgres(ql)?:\/\//i, "--to must be a postgresql:// URL");

/** `keelwatch db copy --to postgresql://…`: the SQLite database of DATABASE_URL into PostgreSQL (see copy-from-sqlite). */
export async function copyCommand(argv: string[], io: CliIO): Promise<number> {
  const { to } = parseOptions(argv, { to: { type: "string" } });
  const parsed = targetUrl.safeParse(to);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "--to is invalid");
  const url = databaseUrl(io.env);
  if (dialectName(url) !== "sqlite") {
    throw new UsageError("db copy reads a SQLite database: DATABASE_URL must be a file: URL (the source)");
  }
  const sourceFile = databaseFile(url, io.cwd);
  const target = redactUrl(parsed.data);
  io.stderr.write(`copying ${sourceFile} into ${target}\n`);
  try {
    const result = await copySqliteToPostgres({
      sourceFile,
      targetUrl: parsed.data,
      progress: (line) => io.stderr.write(`${line}\n`),
    });
    const width = Math.max(...result.tables.map((count) => count.table.length), "table".length);
    const lines = [`${"table".padEnd(width)}  ${"sqlite".padStart(10)}  ${"postgresql".padStart(10)}`];
    for (const count of result.tables) {
      const mark = count.source === count.target ? "" : "  MISMATCH";
      lines.push(
        `${count.table.padEnd(width)}  ${String(count.source).padStart(10)}  ${String(count.target).padStart(10)}${mark}`,
      );
    }
    io.stdout.write(`${lines.join("\n")}\n`);
    if (!result.matches) {
      io.stderr.write("keelwatch db copy: the row counts differ (MISMATCH above)\n");
      return 1;
    }
    io.stdout.write(
      result.written === 0
        ? `Nothing to write: ${target} already was a copy of ${sourceFile}; row counts verified.\n`
        : `Copied ${sourceFile} into ${target} (${result.written} row(s) written, ${result.deleted} deleted); row counts verified.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CopyRefused || error instanceof MigrationError) {
      io.stderr.write(`keelwatch db copy: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
