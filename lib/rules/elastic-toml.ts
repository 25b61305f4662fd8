import { parse as parseToml, TomlError } from "smol-toml";
import { z } from "zod";
import { RuleError, type RuleIssue, UnsupportedRuleError } from "./errors";
import { describeIssues, type Rule, type RuleInput, RuleOriginSchema, RuleSchema, ruleIssues } from "./schema";
import { type KeyPosition, locateKeys } from "./toml-positions";

/**
 * Reads a rule file in the format of Elastic's detection-rules repository:
 *
 *   [metadata]   creation_date, updated_date, maturity, integration, ...
 *   [rule]       rule_id, name, description, type, language, query, index,
 *                severity, risk_score, interval, from, max_signals, tags,
 *                note (investigation guide, markdown), references, author,
 *                license, version, false_positives, event_category_override,
 *                timestamp_field, tiebreaker_field
 *   [[rule.threat]] framework, [rule.threat.tactic], [[rule.threat.technique]]
 *                (each technique may hold [[rule.threat.technique.subtechnique]])
 *
 * Keelwatch keeps what Elastic's format has no place for in its own table of
 * the same file, which Elastic's tooling ignores:
 *
 *   [keelwatch]
 *   triage_steps    = ["..."]  ordered checklist shown at the triage screen
 *   response_steps  = ["..."]  ordered response/remediation checklist
 *   false_positives = ["..."]  false-positive notes; replaces rule.false_positives
 *   origin          = "elastic" | "datadog" | "custom"
 *                     (default: "elastic" when rule.author names Elastic, else "custom")
 *   enabled         = true | false
 *                     (default: true, false for rules whose metadata.maturity is "deprecated")
 *
 * Only EQL rules are accepted: any other type or language is refused with an
 * UnsupportedRuleError rather than skipped, so an import never loses a rule
 * silently. `timestamp_override` (Kibana's range-filter field) is not the EQL
 * timestamp field and is not mapped; `index` and `[metadata]` are returned
 * beside the rule for callers that want them.
 */

export interface ElasticRuleMetadata {
  creationDate: string | null;
  updatedDate: string | null;
  maturity: string | null;
  integration: string[];
}

export interface ParsedRuleFile {
  rule: Rule;
  metadata: ElasticRuleMetadata;
  index: string[];
  file: string;
  /** Where the query text starts in the file, to report EQL errors at file positions. */
  queryStart: { line: number; column: number } | null;
}

export interface ElasticTomlOptions {
  /** Investigation guide from a sibling guide.md; it replaces rule.note. */
  guide?: string;
}

/** The TOML key each Rule field is read from, to name the field users actually wrote. */
const TOML_KEY_OF: Record<keyof Rule, string> = {
  id: "rule.rule_id",
  name: "rule.name",
  description: "rule.description",
  type: "rule.type",
  query: "rule.query",
  eventCategoryField: "rule.event_category_override",
  timestampField: "rule.timestamp_field",
  tiebreakerField: "rule.tiebreaker_field",
  severity: "rule.severity",
  riskScore: "rule.risk_score",
  tags: "rule.tags",
  threat: "rule.threat",
  interval: "rule.interval",
  lookback: "rule.from",
  maxAlertsPerRun: "rule.max_signals",
  guide: "rule.note",
  triageSteps: "keelwatch.triage_steps",
  responseSteps: "keelwatch.response_steps",
  falsePositives: "rule.false_positives",
  references: "rule.references",
  authors: "rule.author",
  license: "rule.license",
  origin: "keelwatch.origin",
  version: "rule.version",
  enabled: "keelwatch.enabled",
};

const KeelwatchTableSchema = z
  .object({
    triage_steps: z.array(z.string()).optional(),
    response_steps: z.array(z.string()).optional(),
    false_positives: z.array(z.string()).optional(),
    origin: RuleOriginSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

type Table = Record<string, unknown>;

export function parseElasticRuleToml(
  source: string,
  file = "<rule>",
  options: ElasticTomlOptions = {},
): ParsedRuleFile {
  const document = readToml(source, file);
  const positions = locateKeys(source);
  const at = (key: string) => positionOf(positions, key, file);

  const rule = table(document.rule);
  if (!rule) {
    throw new RuleError("invalid_rule", "rule: the file has no [rule] table", { file }, [
      { path: "rule", message: "missing [rule] table" },
    ]);
  }
  const metadataTable = table(document.metadata) ?? {};
  const keelwatch = readKeelwatchTable(document.keelwatch, at);
  refuseNonEql(rule, file, at);

  const tomlKeyOf: Record<keyof Rule, string> = {
    ...TOML_KEY_OF,
    ...(keelwatch.false_positives ? { falsePositives: "keelwatch.false_positives" } : {}),
  };
  const input = toRuleInput(rule, keelwatch, metadataTable, options);
  const result = RuleSchema.safeParse(input);
  if (!result.success) {
    const issues = ruleIssues(result.error, (path) => tomlPath(path, tomlKeyOf));
    const first = issues[0];
    const firstKey = first ? first.path.replace(/\[.*$/, "") : "";
    throw new RuleError(
      "invalid_rule",
      `${ruleLabel(rule, file)}: ${describeIssues(issues)}`,
      positions.has(firstKey) ? at(firstKey) : { file },
      issues,
    );
  }

  const query = positions.get("rule.query");
  return {
    rule: result.data,
    metadata: {
      creationDate: text(metadataTable.creation_date),
      updatedDate: text(metadataTable.updated_date),
      maturity: text(metadataTable.maturity),
      integration: strings(metadataTable.integration),
    },
    index: strings(rule.index),
    file,
    queryStart: query ? { line: query.valueLine, column: query.valueColumn } : null,
  };
}

function readToml(source: string, file: string): Table {
  try {
    return parseToml(source) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = (error.message.split("\n")[0] ?? error.message).replace(/^Invalid TOML document: /, "");
      throw new RuleError("toml_syntax", `invalid TOML: ${reason}`, {
        file,
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
}

function readKeelwatchTable(
  value: unknown,
  at: (key: string) => { file: string; line?: number; column?: number },
): z.infer<typeof KeelwatchTableSchema> {
  if (value === undefined) return {};
  const result = KeelwatchTableSchema.safeParse(value);
  if (result.success) return result.data;
  const issues: RuleIssue[] = result.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = ["keelwatch", ...issue.path.map(String), ...keys.slice(0, 1)].join(".");
    return { path, message: issue.message };
  });
  const first = issues[0]?.path ?? "keelwatch";
  throw new RuleError("invalid_rule", `[keelwatch] table: ${describeIssues(issues)}`, at(first), issues);
}

/** Types and languages other than EQL are refused loudly, never dropped. */
function refuseNonEql(
  rule: Table,
  file: string,
  at: (key: string) => { file: string; line?: number; column?: number },
): void {
  const type = text(rule.type);
  const language = text(rule.language);
  const name = ruleLabelName(rule, file);
  if (type !== null && type !== "eql") throw new UnsupportedRuleError(name, type, language, at("rule.type"));
  if (type === "eql" && language !== null && language !== "eql") {
    throw new UnsupportedRuleError(name, type, language, at("rule.language"));
  }
}

function toRuleInput(
  rule: Table,
  keelwatch: z.infer<typeof KeelwatchTableSchema>,
  metadata: Table,
  options: ElasticTomlOptions,
) {
  const authors = rule.author;
  const namesElastic = Array.isArray(authors) && authors.includes("Elastic");
  const deprecated = metadata.maturity === "deprecated";
  const input: Record<keyof RuleInput, unknown> = {
    id: rule.rule_id,
    name: rule.name,
    description: typeof rule.description === "string" ? unwrapParagraphs(rule.description) : rule.description,
    type: rule.type,
    query: rule.query,
    eventCategoryField: rule.event_category_override,
    timestampField: rule.timestamp_field,
    tiebreakerField: rule.tiebreaker_field,
    severity: rule.severity,
    riskScore: rule.risk_score,
    tags: rule.tags,
    threat: rule.threat,
    interval: rule.interval,
    lookback: rule.from,
    maxAlertsPerRun: rule.max_signals,
    guide: options.guide ?? rule.note,
    triageSteps: keelwatch.triage_steps,
    responseSteps: keelwatch.response_steps,
    falsePositives: keelwatch.false_positives ?? elasticFalsePositives(rule.false_positives),
    references: rule.references,
    authors,
    license: rule.license,
    origin: keelwatch.origin ?? (namesElastic ? "elastic" : "custom"),
    version: rule.version,
    enabled: keelwatch.enabled ?? !deprecated,
  };
  return input;
}

/** Elastic wraps long strings in the TOML for reading; the wrapping is not part of the text. */
function elasticFalsePositives(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => (typeof item === "string" ? unwrapParagraphs(item) : item));
}

/** Joins hard-wrapped lines within a paragraph, keeping blank-line paragraph breaks. */
export function unwrapParagraphs(textValue: string): string {
  return textValue
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split("\n")
        .map((line) => line.trim())
        .join(" "),
    )
    .join("\n\n");
}

function tomlPath(path: readonly PropertyKey[], tomlKeyOf: Record<keyof Rule, string>): string {
  const [head, ...rest] = path;
  const key = typeof head === "string" && head in tomlKeyOf ? tomlKeyOf[head as keyof Rule] : String(head ?? "rule");
  return rest.reduce<string>(
    (text, segment) => (typeof segment === "number" ? `${text}[${segment}]` : `${text}.${String(segment)}`),
    key,
  );
}

function positionOf(positions: Map<string, KeyPosition>, key: string, file: string) {
  const found = positions.get(key);
  return found ? { file, line: found.line, column: found.column } : { file };
}

function ruleLabel(rule: Table, file: string): string {
  return `rule "${ruleLabelName(rule, file)}"`;
}

function ruleLabelName(rule: Table, file: string): string {
  return text(rule.name) ?? text(rule.rule_id) ?? file;
}

function table(value: unknown): Table | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Table) : null;
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
