import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { exportRules, type ImportReport, type ImportResult, importRules, listRules } from "../../db/rule-admin";
import type { CliCommand, CliIO } from "../io";
import { UsageError } from "../io";
import { migrateFirst } from "../migrate-first";

const help = `Usage: keelwatch rules <list|import|export> [options]

  list [--json]              every rule: enabled, severity, risk, alerts in the last 24 h / 7 d, name, id
  import FILE|DIR ...        Elastic detection-rules TOML files or Kibana rules NDJSON exports; a folder is
                             searched for *.toml, *.ndjson and *.json. Prints one line per rule (created,
                             updated, unchanged or refused with the reason); exit 1 if any rule was refused
  export [--out FILE]        every rule as Kibana-compatible NDJSON, to FILE or stdout

Works on the database directly: DATABASE_URL (default file:./data/keelwatch.db), migrated first.`;

const CLI_ACTOR = { id: null, label: "cli", ip: null };
const RULE_FILE = /\.(toml|ndjson|jsonl?)$/i;

export const rulesCommand: CliCommand = {
  summary: "list, import and export detection rules",
  help,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action !== "list" && action !== "import" && action !== "export") {
      throw new UsageError(
        action === undefined ? "missing action: list, import or export" : `unknown action "${action}"`,
      );
    }
    const { values, positionals } = parse(action, rest);
    await migrateFirst(io);
    if (action === "list") return list(io, values.json === true);
    if (action === "export") return exportTo(io, values.out);
    if (positionals.length === 0) throw new UsageError("import needs a FILE or DIR");
    return importPaths(io, positionals);
  },
};

function parse(action: string, args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        json: { type: "boolean" },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: action === "import",
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function list(io: CliIO, json: boolean): Promise<number> {
  const rules = await listRules();
  if (json) {
    for (const rule of rules) io.stdout.write(`${JSON.stringify(rule)}\n`);
    return 0;
  }
  const rows = [
    ["ENABLED", "SEVERITY", "RISK", "24H", "7D", "NAME", "ID"],
    ...rules.map((rule) => [
      rule.enabled ? "yes" : "no",
      rule.severity,
      String(rule.riskScore),
      String(rule.alerts24h),
      String(rule.alerts7d),
      rule.name,
      rule.id,
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const row of rows) {
    io.stdout.write(
      `${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join("  ")}\n`,
    );
  }
  io.stderr.write(`${rules.length} rule(s)\n`);
  return 0;
}

async function exportTo(io: CliIO, out: string | undefined): Promise<number> {
  const ndjson = await exportRules();
  const count = ndjson.trim().split("\n").length - 1;
  if (out === undefined || out === "-") {
    io.stdout.write(ndjson);
  } else {
    await writeFile(path.resolve(io.cwd, out), ndjson, "utf8");
    io.stderr.write(`Exported ${count} rule(s) to ${out}\n`);
  }
  return 0;
}

async function importPaths(io: CliIO, targets: string[]): Promise<number> {
  const files: string[] = [];
  for (const target of targets) {
    const full = path.resolve(io.cwd, target);
    const info = await stat(full).catch(() => null);
    if (!info) {
      io.stderr.write(`keelwatch rules: ${target}: no such file or folder\n`);
      return 1;
    }
    files.push(...(info.isDirectory() ? await ruleFilesIn(full) : [full]));
  }
  const totals = { created: 0, updated: 0, unchanged: 0, refused: 0 };
  for (const file of files) {
    const shown = path.relative(io.cwd, file) || file;
    const guide = await siblingGuide(file);
    const report = await importRules(await readFile(file, "utf8"), shown, CLI_ACTOR, guide === null ? {} : { guide });
    for (const result of report.results) io.stdout.write(`${resultLine(report, result)}\n`);
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += report[key];
  }
  io.stderr.write(
    `${files.length} file(s): ${totals.created} created, ${totals.updated} updated, ` +
      `${totals.unchanged} unchanged, ${totals.refused} refused\n`,
  );
  return totals.refused > 0 ? 1 : 0;
}

/** "created    Name (id)" or "refused    file:line:column: reason". */
function resultLine(report: ImportReport, result: ImportResult): string {
  const status = result.status.padEnd(9);
  if (result.status !== "refused") return `${status}  ${result.name} (${result.ruleId})`;
  const where = [report.file, result.line, result.line ? result.column : null].filter((part) => part != null).join(":");
  const who = result.name ? `rule "${result.name}": ` : "";
  const reason = result.reason ?? "refused";
  return `${status}  ${where}: ${reason.startsWith('rule "') ? reason : `${who}${reason}`}`;
}

/** A rule folder's rule.toml may keep its investigation guide in guide.md beside it (as the built-in pack does). */
async function siblingGuide(file: string): Promise<string | null> {
  if (path.basename(file) !== "rule.toml") return null;
  return readFile(path.join(path.dirname(file), "guide.md"), "utf8").catch(() => null);
}

/** Rule files under a folder, recursively, in name order (hidden folders and node_modules skipped). */
async function ruleFilesIn(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await ruleFilesIn(full)));
    else if (entry.isFile() && RULE_FILE.test(entry.name)) files.push(full);
  }
  return files;
}
