import { isEqlError } from "../../eql";
import { csvRecord, ndjsonRecord } from "../../export";
import { HUNT_EXPORT_COLUMNS, type HuntExportLine, huntResultDocument } from "../../hunt/export";
import { HuntScopeSchema, huntRange } from "../../hunt/request";
import { huntResults } from "../../hunt/run";
import { fieldTypesOption } from "../field-types-option";
import type { CliCommand, CliIO } from "../io";
import { UsageError } from "../io";
import { migrateFirst } from "../migrate-first";
import { parseOptions } from "../options";

const help = `Usage: keelwatch hunt --query 'EQL' [--from TIME] [--to TIME] [--container ID] [--host NAME]
                      [--upload ID] [--format ndjson|csv] [--mapping FILE]

Runs an EQL query over the events stored in the database, with the same engine and semantics as the rules,
and prints the results as they are found:
  ndjson (default)  one JSON object per line: the event for event queries; {"sequence":[...],"join_keys":[...]}
                    for sequences and {"sample":[...],"join_keys":[...]} for samples (as the eql command prints them)
  csv               a header, then one row per event of each result (result number, kind, join keys, event id,
                    @timestamp and common ECS fields)
TIME is ISO-8601 (2026-11-20T10:00:00Z) or now-N with s, m, h or d (now-7d). The range defaults to the last
24 hours before --to (default now). --container, --host and --upload keep only that container.id, host.name
or upload's events. One line to stderr at the end: "hunt: N results, N events scanned in T s".
Fields compare by type, as in the app: ECS fields by their ECS type, and every field of the field mapping stored
in Settings by its own. --mapping FILE (an Elasticsearch mapping: the JSON of GET <index>/_mapping) takes the
stored mapping's place for this hunt.
Limits (as for the web app): KEELWATCH_HUNT_TIME_LIMIT_MS (30000), KEELWATCH_HUNT_MAX_EVENTS (2000000) and
KEELWATCH_HUNT_MAX_HELD (200000 partial sequences or sample keys). A hunt cut at a limit prints the results found
so far and the reason on stderr, and exits 3.
Exit 0 when the whole range was read (also with no results), 2 for a bad query ("line L, column C: message") or
options, 3 when a limit cut the hunt. The database is DATABASE_URL (default file:./data/keelwatch.db).`;

const RELATIVE = /^now-(\d{1,9})([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An option's time as ISO-8601: an ISO date as given, or now-N(s|m|h|d) resolved against `now`. */
export function resolveTime(option: string, text: string | undefined, now: Date): string | undefined {
  if (text === undefined) return undefined;
  const relative = RELATIVE.exec(text);
  if (relative)
    return new Date(now.getTime() - Number(relative[1]) * (UNIT_MS[relative[2] as string] as number)).toISOString();
  if (Number.isNaN(Date.parse(text)) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new UsageError(
      `${option} must be an ISO-8601 time (2026-11-20T10:00:00Z) or now-N with s, m, h or d, not "${text}"`,
    );
  }
  return new Date(text).toISOString();
}

async function write(io: CliIO, text: string): Promise<void> {
  if (text !== "" && !io.stdout.write(text)) await new Promise((resolve) => io.stdout.once("drain", resolve));
}

export const huntCommand: CliCommand = {
  summary: "run an EQL hunt over the stored events",
  help,
  async run(argv, io) {
    const values = parseOptions(argv, {
      query: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      container: { type: "string" },
      host: { type: "string" },
      upload: { type: "string" },
      format: { type: "string" },
      mapping: { type: "string" },
    });
    if (!values.query) throw new UsageError("--query is required");
    const format = values.format ?? "ndjson";
    if (format !== "ndjson" && format !== "csv") throw new UsageError("--format must be ndjson or csv");
    const now = new Date();
    const parsed = HuntScopeSchema.safeParse({
      query: values.query,
      from: resolveTime("--from", values.from, now),
      to: resolveTime("--to", values.to, now),
      containerId: values.container,
      hostName: values.host,
      uploadId: values.upload,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`${issue?.path.join(".") ?? "option"}: ${issue?.message ?? "invalid"}`);
    }
    const scope = parsed.data;
    const range = huntRange(scope, now);
    if (typeof range === "string") throw new UsageError(`--from ${range.slice("from ".length)}`);
    await migrateFirst(io);

    // --mapping FILE in place of the stored mapping (Settings); without it, the stored one, as the Hunt page.
    const fieldTypes = values.mapping === undefined ? undefined : fieldTypesOption(values.mapping, io);
    const results = huntResults(scope, { range, ...(fieldTypes ? { fieldTypes } : {}) });
    let next: Awaited<ReturnType<typeof results.next>>;
    try {
      next = await results.next();
    } catch (error) {
      if (isEqlError(error)) {
        io.stderr.write(`${error.message}\n`);
        return 2;
      }
      throw error;
    }
    if (format === "csv") await write(io, csvRecord(HUNT_EXPORT_COLUMNS.map((column) => column.header)));
    let count = 0;
    while (!next.done) {
      let text = "";
      for (const row of next.value) {
        count++;
        if (format === "ndjson") text += ndjsonRecord(huntResultDocument(row));
        else
          for (const entry of row.events) {
            const line: HuntExportLine = { result: count, kind: row.kind, joinKeys: row.joinKeys, ...entry };
            text += csvRecord(HUNT_EXPORT_COLUMNS.map((column) => column.value(line)));
          }
      }
      await write(io, text);
      next = await results.next();
    }
    const summary = next.value;
    io.stderr.write(
      `hunt: ${count} results, ${summary.eventsScanned} events scanned in ${(summary.elapsedMs / 1000).toFixed(1)} s\n`,
    );
    if (summary.unreadable > 0)
      io.stderr.write(`hunt: ${summary.unreadable} events could not be read (damaged block)\n`);
    if (summary.stopped) {
      io.stderr.write(`hunt: ${summary.stopped.message}\n`);
      return 3;
    }
    return 0;
  },
};
