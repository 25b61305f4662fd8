import { z } from "zod";
import { RuleError, type RuleErrorLocation, type RuleIssue, UnsupportedRuleError } from "./errors";
import { describeIssues, type Rule, type RuleInput, RuleOriginSchema, RuleSchema, ruleIssues } from "./schema";

/**
 * Elastic's rule fields (the `[rule]` table of a detection-rules TOML file,
 * or one rule object of a Kibana export: both use the same snake_case names)
 * mapped onto the Keelwatch model, plus Keelwatch's own extras.
 */

export type ElasticFields = Record<string, unknown>;

/** Keelwatch's additions, kept in a `[keelwatch]` table (see elastic-toml.ts). */
export const KeelwatchExtrasSchema = z
  .object({
    triage_steps: z.array(z.string()).optional(),
    response_steps: z.array(z.string()).optional(),
    false_positives: z.array(z.string()).optional(),
    origin: RuleOriginSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export type KeelwatchExtras = z.infer<typeof KeelwatchExtrasSchema>;

export interface ElasticMapping {
  keelwatch: KeelwatchExtras;
  /** Investigation guide that replaces the `note` field (a guide.md file). */
  guide?: string;
  /** Whether the rule runs when neither [keelwatch] nor the source says. */
  enabledByDefault: boolean;
  /** Origin when [keelwatch] does not say; by default "elastic" if the author list names Elastic. */
  origin?: Rule["origin"];
}

export interface FieldReporting {
  /** Prefix of the source's own keys in error paths ("rule." for TOML, "" for Kibana JSON). */
  keyPrefix: string;
  /** Where a key is, for errors; `key` is the full path as reported (e.g. "rule.risk_score"). */
  locate: (key: string) => RuleErrorLocation;
}

/** The Elastic field each Rule field is read from, so errors name what the author wrote. */
const ELASTIC_KEY_OF: Record<keyof Rule, string> = {
  id: "rule_id",
  name: "name",
  description: "description",
  type: "type",
  query: "query",
  eventCategoryField: "event_category_override",
  timestampField: "timestamp_field",
  tiebreakerField: "tiebreaker_field",
  severity: "severity",
  riskScore: "risk_score",
  tags: "tags",
  threat: "threat",
  interval: "interval",
  lookback: "from",
  maxAlertsPerRun: "max_signals",
  guide: "note",
  triageSteps: "keelwatch.triage_steps",
  responseSteps: "keelwatch.response_steps",
  falsePositives: "false_positives",
  references: "references",
  authors: "author",
  license: "license",
  origin: "keelwatch.origin",
  severityMapping: "severity_mapping",
  ruleNameOverride: "rule_name_override",
  riskScoreOverride: "risk_score_mapping",
  alertSuppression: "alert_suppression",
  version: "version",
  enabled: "enabled",
};

/** The name to show for a rule in errors, even when the rule is broken. */
export function ruleDisplayName(fields: ElasticFields, fallback: string): string {
  return text(fields.name) ?? text(fields.rule_id) ?? fallback;
}

/** Types and languages other than EQL are refused loudly, never dropped. */
export function refuseNonEql(fields: ElasticFields, name: string, reporting: FieldReporting): void {
  const type = text(fields.type);
  const language = text(fields.language);
  if (type !== null && type !== "eql") {
    throw new UnsupportedRuleError(name, type, language, reporting.locate(`${reporting.keyPrefix}type`));
  }
  if (type === "eql" && language !== null && language !== "eql") {
    throw new UnsupportedRuleError(name, type, language, reporting.locate(`${reporting.keyPrefix}language`));
  }
}

/** Validates the [keelwatch] extras; unknown keys are errors so a typo cannot lose a checklist. */
export function readKeelwatchExtras(value: unknown, locate: (key: string) => RuleErrorLocation): KeelwatchExtras {
  if (value === undefined) return {};
  const result = KeelwatchExtrasSchema.safeParse(value);
  if (result.success) return result.data;
  const issues: RuleIssue[] = result.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = ["keelwatch", ...issue.path.map(String), ...keys.slice(0, 1)].join(".");
    return { path, message: issue.message };
  });
  const first = issues[0]?.path ?? "keelwatch";
  throw new RuleError("invalid_rule", `[keelwatch] table: ${describeIssues(issues)}`, locate(first), issues);
}

/** Maps and validates; errors name the Elastic keys and point at the first bad one. */
export function ruleFromElasticFields(
  fields: ElasticFields,
  mapping: ElasticMapping,
  reporting: FieldReporting,
  name: string,
): Rule {
  const result = RuleSchema.safeParse(toRuleInput(fields, mapping));
  if (result.success) return result.data;
  const falsePositivesKey = mapping.keelwatch.false_positives ? "keelwatch.false_positives" : "false_positives";
  const keyOf = (field: keyof Rule): string => {
    const key = field === "falsePositives" ? falsePositivesKey : ELASTIC_KEY_OF[field];
    return key.startsWith("keelwatch.") ? key : `${reporting.keyPrefix}${key}`;
  };
  const issues = ruleIssues(result.error, (path) => elasticPath(path, keyOf));
  const firstKey = issues[0]?.path.replace(/\[.*$/, "") ?? "";
  throw new RuleError("invalid_rule", `rule "${name}": ${describeIssues(issues)}`, reporting.locate(firstKey), issues);
}

function toRuleInput(fields: ElasticFields, { keelwatch, guide, enabledByDefault, origin }: ElasticMapping) {
  const authors = fields.author;
  const namesElastic = Array.isArray(authors) && authors.includes("Elastic");
  const input: Record<keyof RuleInput, unknown> = {
    id: fields.rule_id,
    name: fields.name,
    description: typeof fields.description === "string" ? unwrapParagraphs(fields.description) : fields.description,
    type: fields.type,
    query: fields.query,
    eventCategoryField: fields.event_category_override,
    timestampField: fields.timestamp_field,
    tiebreakerField: fields.tiebreaker_field,
    severity: fields.severity,
    riskScore: fields.risk_score,
    tags: fields.tags,
    threat: fields.threat,
    interval: fields.interval,
    lookback: fields.from,
    maxAlertsPerRun: fields.max_signals,
    guide: guide ?? fields.note,
    triageSteps: keelwatch.triage_steps,
    responseSteps: keelwatch.response_steps,
    falsePositives: keelwatch.false_positives ?? unwrapEach(fields.false_positives),
    references: fields.references,
    authors,
    license: fields.license,
    origin: keelwatch.origin ?? origin ?? (namesElastic ? "elastic" : "custom"),
    severityMapping: severityMappingInput(fields.severity_mapping),
    ruleNameOverride: fields.rule_name_override,
    riskScoreOverride: riskScoreMappingInput(fields.risk_score_mapping),
    alertSuppression: alertSuppressionInput(fields.alert_suppression),
    version: fields.version,
    enabled: keelwatch.enabled ?? enabledByDefault,
  };
  return input;
}

/**
 * Elastic's severity_mapping entries ({field, operator: "equals", value, severity, risk_score})
 * as the model's {field, value, severity}. Values are text in Elastic; a TOML number is taken
 * as its text. Another operator (Elastic has only "equals") is passed on for the schema to
 * refuse, naming the entry. Anything not shaped as a list is passed on for the schema to refuse.
 */
function severityMappingInput(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry) => {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return entry;
    const { field, value: matched, severity, operator } = entry as Record<string, unknown>;
    const valueText = typeof matched === "number" || typeof matched === "boolean" ? String(matched) : matched;
    return {
      field,
      value: valueText,
      severity,
      ...(operator === undefined || operator === "equals" ? {} : { operator }),
    };
  });
}

/**
 * Elastic's risk_score_mapping ([{field, operator: "equals", value: "", risk_score?}]) as the field whose value is
 * the risk score. Kibana's editor writes one entry, and its detection engine takes the first entry's field; so does
 * this. An empty list is no override; anything not shaped as a list of entries is passed on for the schema to
 * refuse.
 */
function riskScoreMappingInput(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return null;
  const first = value[0];
  return first !== null && typeof first === "object" && !Array.isArray(first)
    ? (first as Record<string, unknown>).field
    : first;
}

/**
 * Elastic's alert_suppression ({group_by, duration: {value, unit}, missing_fields_strategy})
 * as the model's {groupBy, duration: "5m", missingFieldsStrategy}.
 */
function alertSuppressionInput(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const { group_by, duration, missing_fields_strategy } = value as Record<string, unknown>;
  let durationText: unknown = duration;
  if (duration !== null && typeof duration === "object" && !Array.isArray(duration)) {
    const { value: amount, unit } = duration as Record<string, unknown>;
    durationText = `${String(amount)}${String(unit)}`;
  }
  return { groupBy: group_by, duration: durationText, missingFieldsStrategy: missing_fields_strategy };
}

/** Elastic hard-wraps long strings in its TOML for reading; the wrapping is not part of the text. */
function unwrapEach(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => (typeof item === "string" ? unwrapParagraphs(item) : item));
}

/** Joins hard-wrapped lines within a paragraph, keeping blank-line paragraph breaks. */
export function unwrapParagraphs(value: string): string {
  return value
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

function elasticPath(path: readonly PropertyKey[], keyOf: (field: keyof Rule) => string): string {
  const [head, ...rest] = path;
  const key = typeof head === "string" && head in ELASTIC_KEY_OF ? keyOf(head as keyof Rule) : String(head ?? "rule");
  return rest.reduce<string>(
    (joined, segment) => (typeof segment === "number" ? `${joined}[${segment}]` : `${joined}.${String(segment)}`),
    key,
  );
}

export function text(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  return null;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
