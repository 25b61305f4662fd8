import { z } from "zod";
import { RuleError, type RuleErrorLocation, type RuleIssue } from "./errors";

/**
 * The Keelwatch rule model. One definition serves validation (import, API,
 * built-in pack) and the TypeScript types. Field names follow the database
 * columns (prisma `Rule`); Elastic's TOML names are mapped in elastic-toml.ts.
 */

/** One ATT&CK entry (tactic, technique or sub-technique) as Elastic rules record it. */
const attackEntry = (idPattern: RegExp, example: string) =>
  z.object({
    id: z.string().regex(idPattern, `expected an ATT&CK id such as ${example}`),
    name: z.string().min(1),
    reference: z.url(),
  });

export const ThreatSubtechniqueSchema = attackEntry(/^T\d{4}\.\d{3}$/, "T1059.004");
export const ThreatTechniqueSchema = attackEntry(/^T\d{4}$/, "T1059").extend({
  subtechnique: z.array(ThreatSubtechniqueSchema).optional(),
});
export const ThreatTacticSchema = attackEntry(/^TA\d{4}$/, "TA0002");

export const ThreatSchema = z.object({
  framework: z.string().min(1),
  tactic: ThreatTacticSchema,
  technique: z.array(ThreatTechniqueSchema).optional(),
});

export const SeveritySchema = z.enum(["low", "medium", "high", "critical"]);
export const RuleOriginSchema = z.enum(["elastic", "datadog", "custom"]);

/** Rule ids name folders of the built-in pack and appear in URLs, so keep them path-safe. */
const ruleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "expected letters, digits, '.', '_' or '-' (a UUID works)");

const nonEmptyText = z.string().trim().min(1);
/** An ECS field path such as "event.severity" or "rule.name". */
const fieldPath = z
  .string()
  .trim()
  .regex(/^[A-Za-z_@][A-Za-z0-9_@.-]*$/, 'expected a field name such as "event.severity"');
/** Queries are kept exactly as written (no trimming): rules from Elastic must run byte for byte. */
const queryText = z.string().refine((text) => text.trim() !== "", "must not be empty");
const textList = z.array(nonEmptyText);

/**
 * One entry of a severity mapping (Elastic's `severity_mapping`): an event whose
 * `field` holds `value` (compared as text, so 5 matches "5") gives its alert
 * `severity` instead of the rule's. When several entries match, the highest
 * severity wins, as in Kibana.
 */
export const SeverityMappingEntrySchema = z.object({
  field: fieldPath,
  value: z.string(),
  severity: SeveritySchema,
  /** Only ever "equals" (Elastic has no other); an import passes it on only to have another one refused. */
  operator: z.literal("equals", 'expected "equals", the only operator of a severity mapping').optional(),
});

/** How long a suppression group stays open, e.g. "5m" (Elastic writes {value, unit}). */
export const SuppressionDurationSchema = z.string().regex(/^[1-9]\d*[smh]$/, 'expected a duration such as "5m"');

/**
 * Alert suppression (Elastic's `alert_suppression`): matches with the same
 * values of `groupBy` within `duration` of the group's first alert add to that
 * alert's count instead of raising new ones. Without a duration, a group lasts
 * one ingest (Elastic: one rule execution). `missingFieldsStrategy` decides
 * whether events lacking a group field are suppressed together ("suppress") or
 * each raise their own alert ("doNotSuppress").
 */
export const AlertSuppressionSchema = z.object({
  groupBy: z.array(fieldPath).min(1, "name at least one field").max(3, "at most 3 fields, as in Elastic"),
  duration: SuppressionDurationSchema.nullable().default(null),
  missingFieldsStrategy: z.enum(["suppress", "doNotSuppress"]).default("suppress"),
});

export const RuleSchema = z.object({
  id: ruleId,
  name: nonEmptyText,
  description: nonEmptyText,
  type: z.literal("eql"),
  query: queryText,
  eventCategoryField: nonEmptyText.default("event.category"),
  timestampField: nonEmptyText.default("@timestamp"),
  tiebreakerField: nonEmptyText.optional(),
  severity: SeveritySchema,
  riskScore: z.int().min(0).max(100),
  tags: textList.default([]),
  threat: z.array(ThreatSchema).default([]),
  /** How often the rule runs over stored events, e.g. "5m". */
  interval: z
    .string()
    .regex(/^\d+[smhd]$/, 'expected a duration such as "5m"')
    .default("5m"),
  /** How far back each run looks (Elastic date math), e.g. "now-6m". */
  lookback: z
    .string()
    .regex(/^now-\d+[smhd]$/, 'expected date math such as "now-6m"')
    .default("now-6m"),
  maxAlertsPerRun: z.int().min(1).default(100),
  /** The investigation guide, markdown. */
  guide: z.string().default(""),
  /** The analyst's checklist at the triage screen, in order. */
  triageSteps: textList.default([]),
  responseSteps: textList.default([]),
  falsePositives: textList.default([]),
  references: textList.default([]),
  authors: textList.default([]),
  license: nonEmptyText.optional(),
  origin: RuleOriginSchema.default("custom"),
  /** Per-event severity (promotion rules: the sensor's own priority); empty: always `severity`. */
  severityMapping: z.array(SeverityMappingEntrySchema).default([]),
  /** An event field whose value names the alert (promotion rules: the sensor's rule), else the rule's name. */
  ruleNameOverride: fieldPath.nullable().optional(),
  /**
   * An event field whose number (0 to 100) is the alert's risk score (promotion rules: the sensor's own score or
   * priority), else the rule's riskScore. Elastic's risk_score_mapping.
   */
  riskScoreOverride: fieldPath.nullable().optional(),
  /** null or absent: no suppression. */
  alertSuppression: AlertSuppressionSchema.nullable().optional(),
  version: z.int().min(1).default(1),
  enabled: z.boolean().default(true),
});

export type Rule = z.infer<typeof RuleSchema>;
/** What a caller may pass in: fields with defaults may be left out. */
export type RuleInput = z.input<typeof RuleSchema>;
export type Threat = z.infer<typeof ThreatSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type RuleOrigin = z.infer<typeof RuleOriginSchema>;
export type SeverityMappingEntry = z.infer<typeof SeverityMappingEntrySchema>;
export type AlertSuppression = z.infer<typeof AlertSuppressionSchema>;

/** "threat[0].tactic.id" for zod's ["threat", 0, "tactic", "id"]. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text === "" ? "(rule)" : text;
}

/** Zod issues as path + message pairs, with paths renamed by `rename` (e.g. to TOML keys). */
export function ruleIssues(
  error: z.ZodError,
  rename: (path: readonly PropertyKey[]) => string = formatIssuePath,
): RuleIssue[] {
  return error.issues.map((issue) => ({ path: rename(issue.path), message: issue.message }));
}

/** One line naming every bad field: "riskScore: Too big: expected number to be <=100; name: ...". */
export function describeIssues(issues: readonly RuleIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
}

/**
 * Validates a rule, filling defaults. Throws a RuleError (code "invalid_rule")
 * whose message and `issues` name every offending field path.
 */
export function parseRule(input: unknown, where: RuleErrorLocation = {}): Rule {
  const result = RuleSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = ruleIssues(result.error);
  const name = ruleNameOf(input);
  throw new RuleError("invalid_rule", `${name ? `rule "${name}": ` : ""}${describeIssues(issues)}`, where, issues);
}

function ruleNameOf(input: unknown): string | null {
  if (input === null || typeof input !== "object") return null;
  const name = (input as { name?: unknown }).name;
  return typeof name === "string" && name.trim() !== "" ? name : null;
}
