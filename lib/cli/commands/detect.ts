import fs from "node:fs";
import path from "node:path";
import { type DetectionRule, RuleCompileError } from "../../detection/detector";
import { detectOffline } from "../../detection/offline";
import { ReadEventsError } from "../../events/read-events";
import { isRuleError } from "../../rules/errors";
import { loadBuiltinRules, loadRuleFile, loadRulesFromDir } from "../../rules/load";
import type { Rule } from "../../rules/schema";
import { fieldTypesOption } from "../field-types-option";
import type { CliCommand, CliIO } from "../io";
import { UsageError } from "../io";
import { parseOptions } from "../options";

const FORMATS = ["auto", "ecs", "falco", "tetragon", "datadog"] as const;
type FormatOption = (typeof FORMATS)[number];

const help = `Usage: keelwatch detect --events FILE [--rules builtin|DIR|FILE] [--format auto|ecs|falco|tetragon|datadog]
                 [--mapping FILE]

Runs detection rules over an events file without a database and prints one alert per line:
  {"rule_id","rule_name","severity","risk_score","timestamp","event_ids":[...],"event":{...},"events":[...]}
event_ids are the events' ECS event.id, or their line numbers when they have none.
FILE may be - for stdin; .gz files are read transparently; NDJSON or a JSON array.
--rules: "builtin" (default), a folder of rule.toml files, or one rule file (Elastic detection-rules TOML).
--mapping: an Elasticsearch mapping (the JSON of GET <index>/_mapping); its fields compare by their types, over
the built-in ECS types (dates, IPs and CIDR blocks, numbers).
Bad event lines are reported on stderr with their line number and skipped.
Exit codes: 0 done (with or without alerts), 1 unreadable input or rules, 2 usage.`;

export const detectCommand: CliCommand = {
  summary: "run detection rules over an events file, offline",
  help,
  async run(argv, io) {
    const values = parseOptions(argv, {
      events: { type: "string" },
      rules: { type: "string" },
      format: { type: "string" },
      mapping: { type: "string" },
    });
    if (!values.events) throw new UsageError("--events FILE is required");
    const format = (values.format ?? "auto") as FormatOption;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
    const fieldTypes = fieldTypesOption(values.mapping, io);

    let rules: Rule[];
    try {
      rules = await loadRules(values.rules ?? "builtin", io);
    } catch (error) {
      io.stderr.write(`keelwatch detect: ${isRuleError(error) ? error.message : (error as Error).message}\n`);
      return 1;
    }
    const input = openInput(values.events, io);
    if (!input) {
      io.stderr.write(`keelwatch detect: no such file: ${values.events}\n`);
      return 1;
    }
    const source = values.events === "-" ? "stdin" : values.events;
    try {
      const alerts = detectOffline(input, rules.filter((rule) => rule.enabled).map(toDetectionRule), {
        format,
        fieldTypes,
        onWarning: (warning) => io.stderr.write(`${source} line ${warning.line}: ${warning.message}\n`),
      });
      for await (const alert of alerts) {
        if (!io.stdout.write(`${JSON.stringify(alert)}\n`))
          await new Promise((resolve) => io.stdout.once("drain", resolve));
      }
    } catch (error) {
      if (error instanceof RuleCompileError) {
        io.stderr.write(`keelwatch detect: ${error.message}\n`);
        return 1;
      }
      // an unreadable body (binary, broken gzip): say which file, not a bare stack
      if (error instanceof ReadEventsError) {
        io.stderr.write(`keelwatch detect: ${source}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    return 0;
  },
};

async function loadRules(option: string, io: CliIO): Promise<Rule[]> {
  if (option === "builtin") return loadBuiltinRules();
  const target = path.resolve(io.cwd, option);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const { rules, errors } = await loadRulesFromDir(target);
    for (const error of errors) io.stderr.write(`keelwatch detect: skipped ${error.message}\n`);
    if (rules.length === 0) throw new Error(`no usable rules in ${option}`);
    return rules;
  }
  return [await loadRuleFile(target)];
}

function openInput(file: string, io: CliIO): AsyncIterable<Uint8Array> | null {
  if (file === "-") return io.stdin as AsyncIterable<Uint8Array>;
  const full = path.resolve(io.cwd, file);
  return fs.existsSync(full) ? fs.createReadStream(full) : null;
}

function toDetectionRule(rule: Rule): DetectionRule {
  return {
    id: rule.id,
    name: rule.name,
    severity: rule.severity,
    riskScore: rule.riskScore,
    maxAlertsPerRun: Number.POSITIVE_INFINITY,
    query: rule.query,
    eventCategoryField: rule.eventCategoryField,
    timestampField: rule.timestampField,
    tiebreakerField: rule.tiebreakerField ?? null,
    lookback: rule.lookback,
    alertShape: {
      severityMapping: rule.severityMapping,
      ruleNameOverride: rule.ruleNameOverride ?? null,
      riskScoreOverride: rule.riskScoreOverride ?? null,
      alertSuppression: rule.alertSuppression ?? null,
    },
  };
}
