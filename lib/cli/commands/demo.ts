import { syncBuiltinRules } from "../../db/rules";
import { loadBuiltinRules } from "../../rules/load";
import { SAMPLE_FORMATS, type SampleFormat, sampleUploadName } from "../../samples/formats";
import { loadSample, removeSampleData } from "../../samples/sample-data";
import type { CliCommand } from "../io";
import { UsageError } from "../io";
import { migrateFirst } from "../migrate-first";
import { parseOptions } from "../options";

const help = `Usage: keelwatch demo [--format ecs|falco|tetragon|datadog] [--remove]

Loads a sample container intrusion (a web shell in an nginx pod, a dropper in /tmp, a reverse shell, an SRE's
debugging session as noise) into the database, through the same detection as an upload, and prints the alerts
it raised. The data is marked as sample data: loading it twice adds nothing, and --remove deletes every sample
upload with its events and alerts. The incident is dated to end a few minutes before the load, so it shows in
every recent view. The default format is ecs (Elastic Defend for Containers).
The database is DATABASE_URL (default file:./data/keelwatch.db); start the server and open /alerts to triage.`;

export const demoCommand: CliCommand = {
  summary: "load (or --remove) the sample incident",
  help,
  async run(argv, io) {
    const values = parseOptions(argv, { format: { type: "string" }, remove: { type: "boolean" } });
    const format = (values.format ?? "ecs") as SampleFormat;
    if (!SAMPLE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${SAMPLE_FORMATS.join(", ")}`);
    if (values.remove && values.format !== undefined)
      throw new UsageError("--remove removes every sample: no --format");
    await migrateFirst(io);
    const actor = { id: null, label: "cli" };

    if (values.remove) {
      const removed = await removeSampleData(actor);
      io.stdout.write(
        removed.uploads === 0
          ? "No sample data to remove.\n"
          : `Removed sample data: ${removed.uploads} upload(s), ${removed.events} events, ${removed.alerts} alerts.\n`,
      );
      return 0;
    }

    // A fresh database has no rules until the server first starts: install the built-in pack now.
    await syncBuiltinRules(await loadBuiltinRules());
    const result = await loadSample(format, actor);
    const { report } = result;
    if (result.alreadyLoaded) {
      io.stdout.write(`${sampleUploadName(format)} is already loaded: nothing was added.\n`);
      return 0;
    }
    io.stdout.write(
      `Loaded ${sampleUploadName(format)}: ${report.events.accepted - report.events.duplicate} events, ` +
        `${report.alerts.created} alerts.\n`,
    );
    for (const rule of [...report.alerts.rules].sort((a, b) => b.created - a.created)) {
      io.stdout.write(`  ${String(rule.created).padStart(4)}  ${rule.ruleName}\n`);
    }
    io.stdout.write("Triage them at /alerts; remove them with `keelwatch demo --remove`.\n");
    return 0;
  },
};
