import { randomUUID } from "node:crypto";
import { z } from "zod";
import { compile, isEqlError } from "../eql";
import type { Prisma, Rule as RuleRow } from "../generated/prisma/client";
import { KeelwatchExtrasSchema } from "../rules/elastic-fields";
import { parseElasticRuleToml } from "../rules/elastic-toml";
import { isRuleError, type RuleError } from "../rules/errors";
import { parseKibanaRulesNdjson } from "../rules/kibana-ndjson";
import { checkRuleQuery } from "../rules/query-check";
import {
  type AlertSuppression,
  AlertSuppressionSchema,
  formatIssuePath,
  type Rule,
  type RuleOrigin,
  RuleOriginSchema,
  RuleSchema,
  type Severity,
  SeveritySchema,
} from "../rules/schema";
import { appendAudit } from "./audit";
import { prisma } from "./client";
import { ruleContentColumns } from "./rules";

/**
 * Rule administration: list, read, create, edit, delete, import and export
 * rules. Every write is validated by lib/rules' schema and lib/eql's compiler
 * (so a rule that is stored can run), keeps the previous text as a
 * RuleVersion, and appends an audit entry naming who did it.
 */

// ------------------------------------------------------------------ outcomes

/** A field-level problem; `line`/`column` place a query error within the query text. */
export interface FieldIssue {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/** Same shape as lib/auth/admin-outcome's Refusal, so routes turn it into a response unchanged. */
export interface RuleRefusal {
  ok: false;
  status: 400 | 403 | 404 | 409;
  code: string;
  message: string;
  details?: FieldIssue[];
}

export type RuleOutcome<T> = { ok: true; value: T } | RuleRefusal;

function refuse(status: RuleRefusal["status"], code: string, message: string, details?: FieldIssue[]): RuleRefusal {
  return details ? { ok: false, status, code, message, details } : { ok: false, status, code, message };
}

/** Who made a change, for the audit log and RuleVersion.createdById. */
export interface RuleActor {
  /** User id, or null for API tokens and the CLI. */
  id: string | null;
  /** As shown to people: "alice", "token:ci", "cli". */
  label: string;
  ip?: string | null;
}

async function audit(actor: RuleActor, action: string, targetId: string | undefined, details: Record<string, unknown>) {
  await appendAudit({
    actorId: actor.id,
    actorLabel: actor.label,
    action,
    targetType: "rule",
    ...(targetId === undefined ? {} : { targetId }),
    details,
    ip: actor.ip ?? null,
  });
}

// ------------------------------------------------------------------ rows

/** JSON-valued columns are read leniently: a column that is not the expected JSON reads as empty. */
function jsonArray<T = string>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** The alertSuppression column (JSON or null) as the model's optional field; unreadable JSON reads as none. */
function suppressionOf(text: string | null): { alertSuppression?: AlertSuppression } {
  if (text === null) return {};
  const parsed = AlertSuppressionSchema.safeParse(jsonValue(text));
  return parsed.success ? { alertSuppression: parsed.data } : {};
}

function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A database row as the lib/rules model (JSON columns parsed). */
export function ruleFromRow(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: "eql",
    query: row.query,
    eventCategoryField: row.eventCategoryField,
    timestampField: row.timestampField,
    ...(row.tiebreakerField === null ? {} : { tiebreakerField: row.tiebreakerField }),
    severity: row.severity as Severity,
    riskScore: row.riskScore,
    tags: jsonArray(row.tags),
    threat: jsonArray(row.threat),
    interval: row.interval,
    lookback: row.lookback,
    maxAlertsPerRun: row.maxAlertsPerRun,
    guide: row.guide,
    triageSteps: jsonArray(row.triageSteps),
    responseSteps: jsonArray(row.responseSteps),
    falsePositives: jsonArray(row.falsePositives),
    references: jsonArray(row.references),
    authors: jsonArray(row.authors),
    ...(row.license === null ? {} : { license: row.license }),
    origin: row.origin as RuleOrigin,
    severityMapping: jsonArray(row.severityMapping),
    ...(row.ruleNameOverride === null ? {} : { ruleNameOverride: row.ruleNameOverride }),
    ...(row.riskScoreOverride === null ? {} : { riskScoreOverride: row.riskScoreOverride }),
    ...suppressionOf(row.alertSuppression),
    version: row.version,
    enabled: row.enabled,
  };
}

type ContentColumns = ReturnType<typeof ruleContentColumns>;

function changedColumns(row: RuleRow, next: ContentColumns): (keyof ContentColumns)[] {
  return (Object.keys(next) as (keyof ContentColumns)[]).filter((key) => row[key] !== next[key]);
}

// ------------------------------------------------------------------ validation

/**
 * Validates a rule and compiles its query with the rule's own field settings.
 * Issues name the field; a query issue also carries the line and column
 * within the query text, as lib/eql reports them.
 */
export function validateRule(input: unknown): { ok: true; rule: Rule } | { ok: false; issues: FieldIssue[] } {
  const parsed = RuleSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ field: formatIssuePath(issue.path), message: issue.message })),
    };
  }
  const problem = queryProblem(parsed.data);
  return problem ? { ok: false, issues: [problem] } : { ok: true, rule: parsed.data };
}

/** Compiles the rule's query; returns the EQL error as a field issue, or null when it compiles. */
export function queryProblem(rule: Pick<Rule, "query" | "eventCategoryField" | "timestampField" | "tiebreakerField">) {
  try {
    compile(rule.query, eqlOptionsOf(rule));
    return null;
  } catch (error) {
    if (!isEqlError(error)) throw error;
    const issue: FieldIssue = { field: "query", message: error.reason, line: error.line, column: error.column };
    return issue;
  }
}

function eqlOptionsOf(rule: Pick<Rule, "eventCategoryField" | "timestampField" | "tiebreakerField">) {
  return {
    eventCategoryField: rule.eventCategoryField,
    timestampField: rule.timestampField,
    ...(rule.tiebreakerField ? { tiebreakerField: rule.tiebreakerField } : {}),
  };
}

function describeFieldIssues(issues: readonly FieldIssue[]): string {
  return issues
    .map((issue) =>
      issue.line === undefined
        ? `${issue.field}: ${issue.message}`
        : `${issue.field}: line ${issue.line}, column ${issue.column}: ${issue.message}`,
    )
    .join("; ");
}

function invalid(issues: FieldIssue[]): RuleRefusal {
  return refuse(400, "invalid_rule", `Invalid rule: ${describeFieldIssues(issues)}`, issues);
}

// ------------------------------------------------------------------ list

export const RuleFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  enabled: z.boolean().optional(),
  severity: SeveritySchema.optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  origin: RuleOriginSchema.optional(),
});
export type RuleFilter = z.infer<typeof RuleFilterSchema>;

export interface RuleTactic {
  id: string;
  name: string;
}

export interface AlertCounts {
  alerts24h: number;
  alerts7d: number;
  /** Time of the rule's most recent alert (the triggering event's time). */
  lastAlertAt: Date | null;
}

export interface RuleListItem extends AlertCounts {
  id: string;
  name: string;
  type: string;
  severity: Severity;
  riskScore: number;
  tags: string[];
  tactics: RuleTactic[];
  origin: RuleOrigin;
  builtin: boolean;
  enabled: boolean;
  version: number;
  updatedAt: Date;
}

const DAY_MS = 86_400_000;

function whereOf(filter: RuleFilter): Prisma.RuleWhereInput {
  const where: Prisma.RuleWhereInput[] = [];
  if (filter.q) {
    // SQLite's LIKE (what `contains` becomes) ignores ASCII case.
    where.push({ OR: [{ name: { contains: filter.q } }, { description: { contains: filter.q } }, { id: filter.q }] });
  }
  if (filter.enabled !== undefined) where.push({ enabled: filter.enabled });
  if (filter.severity) where.push({ severity: filter.severity });
  if (filter.origin) where.push({ origin: filter.origin });
  // Tags are a JSON array of strings: the quoted, escaped tag matches one whole element.
  if (filter.tag) where.push({ tags: { contains: JSON.stringify(filter.tag) } });
  return where.length === 0 ? {} : { AND: where };
}

function tacticsOf(threatJson: string): RuleTactic[] {
  const seen = new Map<string, RuleTactic>();
  for (const entry of jsonArray<{ tactic?: { id?: unknown; name?: unknown } }>(threatJson)) {
    const { id, name } = entry.tactic ?? {};
    if (typeof id === "string" && typeof name === "string" && !seen.has(id)) seen.set(id, { id, name });
  }
  return [...seen.values()];
}

/**
 * Alert counts per rule over the last 24 hours and 7 days (by the alert's
 * event time, as the alert list filters), and the latest alert time. Three
 * GROUP BY queries, whatever the number of rules.
 */
export async function alertCountsByRule(
  ruleIds: readonly string[],
  now = new Date(),
): Promise<Map<string, AlertCounts>> {
  const counts = new Map<string, AlertCounts>();
  if (ruleIds.length === 0) return counts;
  const db = prisma();
  const inRules = { ruleId: { in: [...ruleIds] } };
  const [day, week, last] = await Promise.all([
    db.alert.groupBy({
      by: ["ruleId"],
      where: { ...inRules, timestamp: { gte: new Date(now.getTime() - DAY_MS) } },
      _count: { _all: true },
    }),
    db.alert.groupBy({
      by: ["ruleId"],
      where: { ...inRules, timestamp: { gte: new Date(now.getTime() - 7 * DAY_MS) } },
      _count: { _all: true },
    }),
    db.alert.groupBy({ by: ["ruleId"], where: inRules, _max: { timestamp: true } }),
  ]);
  for (const id of ruleIds) counts.set(id, { alerts24h: 0, alerts7d: 0, lastAlertAt: null });
  for (const row of day) (counts.get(row.ruleId) as AlertCounts).alerts24h = row._count._all;
  for (const row of week) (counts.get(row.ruleId) as AlertCounts).alerts7d = row._count._all;
  for (const row of last) (counts.get(row.ruleId) as AlertCounts).lastAlertAt = row._max.timestamp ?? null;
  return counts;
}

/** Rules matching the filter, by name, with their alert counts. */
export async function listRules(filter: RuleFilter = {}, now = new Date()): Promise<RuleListItem[]> {
  const rows = await prisma().rule.findMany({
    where: whereOf(RuleFilterSchema.parse(filter)),
    orderBy: { name: "asc" },
  });
  const counts = await alertCountsByRule(
    rows.map((row) => row.id),
    now,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    type: row.type,
    severity: row.severity as Severity,
    riskScore: row.riskScore,
    tags: jsonArray(row.tags),
    tactics: tacticsOf(row.threat),
    origin: row.origin as RuleOrigin,
    builtin: row.builtin,
    enabled: row.enabled,
    version: row.version,
    updatedAt: row.updatedAt,
    ...(counts.get(row.id) ?? { alerts24h: 0, alerts7d: 0, lastAlertAt: null }),
  }));
}

// ------------------------------------------------------------------ detail

export interface RuleVersionEntry {
  version: number;
  createdAt: Date;
  createdBy: string | null;
  /** The rule as it was at that version. */
  rule: Rule;
}

export interface RuleDetail extends AlertCounts {
  rule: Rule;
  builtin: boolean;
  createdAt: Date;
  updatedAt: Date;
  tactics: RuleTactic[];
  /** Earlier versions, newest first (the current version is `rule`). */
  versions: RuleVersionEntry[];
}

export async function getRule(id: string, now = new Date()): Promise<RuleDetail | null> {
  const row = await prisma().rule.findUnique({
    where: { id },
    include: { versions: { orderBy: { version: "desc" } } },
  });
  if (!row) return null;
  const { versions, ...ruleRow } = row;
  const userIds = [...new Set(versions.map((v) => v.createdById).filter((v): v is string => v !== null))];
  const users = await prisma().user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true } });
  const nameOf = new Map(users.map((user) => [user.id, user.username]));
  const counts = (await alertCountsByRule([id], now)).get(id) as AlertCounts;
  return {
    rule: ruleFromRow(ruleRow),
    builtin: ruleRow.builtin,
    createdAt: ruleRow.createdAt,
    updatedAt: ruleRow.updatedAt,
    tactics: tacticsOf(ruleRow.threat),
    versions: versions.map((version) => ({
      version: version.version,
      createdAt: version.createdAt,
      createdBy: version.createdById ? (nameOf.get(version.createdById) ?? version.createdById) : null,
      rule: snapshotRule(version.snapshot, ruleRow),
    })),
    ...counts,
  };
}

/**
 * Snapshots are rule rows as JSON (lib/db/rules.ts writes them the same way);
 * columns a snapshot lacks are taken from the current row so old snapshots still read.
 */
function snapshotRule(snapshot: string, current: RuleRow): Rule {
  let stored: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(snapshot);
    if (value && typeof value === "object" && !Array.isArray(value)) stored = value as Record<string, unknown>;
  } catch {
    // An unreadable snapshot shows as the current row; nothing else can be recovered from it.
  }
  return ruleFromRow({ ...current, ...stored } as RuleRow);
}

function snapshotOf(row: RuleRow): string {
  const { createdAt: _c, updatedAt: _u, enabled: _e, ...content } = row;
  return JSON.stringify(content);
}

// ------------------------------------------------------------------ create

/** Creates a custom rule. Without an id, a UUID is chosen; a taken id is a 409. */
export async function createRule(input: unknown, actor: RuleActor): Promise<RuleOutcome<Rule>> {
  const withId =
    input && typeof input === "object" && !Array.isArray(input) && !("id" in input)
      ? { ...input, id: randomUUID() }
      : input;
  const checked = validateRule(withId);
  if (!checked.ok) return invalid(checked.issues);
  const rule = checked.rule;
  if (await prisma().rule.findUnique({ where: { id: rule.id }, select: { id: true } })) {
    return refuse(409, "rule_exists", `A rule with id "${rule.id}" already exists.`, [
      { field: "id", message: "already used by another rule" },
    ]);
  }
  await insertRule(rule);
  await audit(actor, "rule.create", rule.id, { name: rule.name, origin: rule.origin });
  return { ok: true, value: rule };
}

async function insertRule(rule: Rule): Promise<void> {
  await prisma().rule.create({
    data: { id: rule.id, ...ruleContentColumns(rule), version: rule.version, enabled: rule.enabled, builtin: false },
  });
}

// ------------------------------------------------------------------ update

/** Every rule field but the id and type may be patched; `baseVersion` guards against overwriting a newer edit. */
export const RulePatchSchema = RuleSchema.omit({ id: true, type: true, version: true })
  .partial()
  .extend({ baseVersion: z.int().min(1).optional() })
  .strict();
export type RulePatch = z.input<typeof RulePatchSchema>;

type ApplyResult = "updated" | "unchanged";

/**
 * Writes `next` over `row`. A change of content keeps the previous content as
 * a RuleVersion and bumps the version; switching the rule on or off is state,
 * not content, and is only audited (as the built-in sync treats it).
 */
async function applyRule(row: RuleRow, next: Rule, actor: RuleActor): Promise<ApplyResult> {
  const columns = ruleContentColumns(next);
  const changed = changedColumns(row, columns);
  const toggled = row.enabled !== next.enabled;
  if (changed.length === 0 && !toggled) return "unchanged";
  const db = prisma();
  if (changed.length === 0) {
    await db.rule.update({ where: { id: row.id }, data: { enabled: next.enabled } });
    return "updated";
  }
  await db.$transaction([
    db.ruleVersion.upsert({
      where: { ruleId_version: { ruleId: row.id, version: row.version } },
      create: { ruleId: row.id, version: row.version, snapshot: snapshotOf(row), createdById: actor.id },
      update: {},
    }),
    db.rule.update({
      where: { id: row.id },
      data: { ...columns, enabled: next.enabled, version: row.version + 1 },
    }),
  ]);
  return "updated";
}

export async function updateRule(id: string, patch: unknown, actor: RuleActor): Promise<RuleOutcome<Rule>> {
  const parsedPatch = RulePatchSchema.safeParse(patch);
  if (!parsedPatch.success) {
    return invalid(
      parsedPatch.error.issues.map((issue) => ({
        field: issue.code === "unrecognized_keys" ? issue.keys.join(", ") : formatIssuePath(issue.path),
        message: issue.message,
      })),
    );
  }
  // zod fills defaults even in a partial schema: keep only the fields the caller sent.
  const sent = new Set(Object.keys(patch as object));
  const { baseVersion, ...filled } = parsedPatch.data;
  const changes = Object.fromEntries(Object.entries(filled).filter(([key]) => sent.has(key)));
  const row = await prisma().rule.findUnique({ where: { id } });
  if (!row) return refuse(404, "rule_not_found", `No rule with id "${id}".`);
  if (baseVersion !== undefined && baseVersion !== row.version) {
    return refuse(
      409,
      "version_conflict",
      `The rule was changed by someone else (now at version ${row.version}, you edited version ${baseVersion}). Reload and edit again.`,
    );
  }
  const current = ruleFromRow(row);
  const checked = validateRule({ ...current, ...changes, id: row.id, version: row.version });
  if (!checked.ok) return invalid(checked.issues);
  const changedFields = changedColumns(row, ruleContentColumns(checked.rule));
  const outcome = await applyRule(row, checked.rule, actor);
  if (outcome === "updated") {
    await audit(actor, "rule.update", id, {
      name: checked.rule.name,
      fields: row.enabled === checked.rule.enabled ? changedFields : [...changedFields, "enabled"],
      ...(row.enabled === checked.rule.enabled ? {} : { enabled: checked.rule.enabled }),
      builtin: row.builtin,
    });
  }
  const saved = await prisma().rule.findUniqueOrThrow({ where: { id } });
  return { ok: true, value: ruleFromRow(saved) };
}

// ------------------------------------------------------------------ delete

/**
 * Deletes a custom rule. Built-in rules are refused (disable them instead).
 * Alerts belong to their rule and would go with it, so a rule with alerts is
 * only deleted when the caller says `force`.
 */
export async function deleteRule(
  id: string,
  actor: RuleActor,
  options: { force?: boolean } = {},
): Promise<RuleOutcome<{ id: string; alertsDeleted: number }>> {
  const db = prisma();
  const row = await db.rule.findUnique({ where: { id }, select: { id: true, name: true, builtin: true } });
  if (!row) return refuse(404, "rule_not_found", `No rule with id "${id}".`);
  if (row.builtin) {
    return refuse(
      403,
      "builtin_rule",
      `"${row.name}" is a built-in rule: it cannot be deleted, but it can be disabled.`,
    );
  }
  const alerts = await db.alert.count({ where: { ruleId: id } });
  if (alerts > 0 && !options.force) {
    return refuse(
      409,
      "rule_has_alerts",
      `"${row.name}" has ${alerts} alert(s), which would be deleted with it. Disable the rule instead, or delete with force.`,
    );
  }
  await db.rule.delete({ where: { id } });
  await audit(actor, "rule.delete", id, { name: row.name, alertsDeleted: alerts });
  return { ok: true, value: { id, alertsDeleted: alerts } };
}

// ------------------------------------------------------------------ import

export type ImportStatus = "created" | "updated" | "unchanged" | "refused";

export interface ImportResult {
  status: ImportStatus;
  ruleId: string | null;
  name: string | null;
  /** Why a rule was refused (or the query problem). */
  reason?: string;
  code?: string;
  /** Line (and column) in the imported file; for NDJSON the line of the rule's object. */
  line?: number | null;
  column?: number | null;
}

export interface ImportReport {
  file: string;
  format: "elastic-toml" | "kibana-ndjson";
  results: ImportResult[];
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
}

/** NDJSON when the name says so or the first character opens a JSON object; TOML otherwise. */
export function importFormat(text: string, filename: string): ImportReport["format"] {
  if (/\.toml$/i.test(filename)) return "elastic-toml";
  if (/\.(nd)?jsonl?$/i.test(filename)) return "kibana-ndjson";
  return text.trimStart().startsWith("{") ? "kibana-ndjson" : "elastic-toml";
}

interface Candidate {
  rule: Rule;
  line: number | null;
}

/**
 * Imports an Elastic detection-rules TOML file or a Kibana rules NDJSON
 * export. Each rule is created, updated (same id, different content: the old
 * content becomes a version), left unchanged, or refused with the reason and
 * its line; one bad rule never stops the others.
 */
export interface ImportOptions {
  /** Investigation guide from a guide.md beside a rule.toml (it replaces the TOML's note, as lib/rules/load does). */
  guide?: string;
}

export async function importRules(
  text: string,
  filename: string,
  actor: RuleActor,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const format = importFormat(text, filename);
  const results: ImportResult[] = [];
  const candidates: Candidate[] = [];
  if (format === "elastic-toml") readToml(text, filename, options, candidates, results);
  else readNdjson(text, filename, candidates, results);

  const seen = new Set<string>();
  for (const { rule, line } of candidates) {
    const base = { ruleId: rule.id, name: rule.name, line };
    if (seen.has(rule.id)) {
      results.push({
        ...base,
        status: "refused",
        code: "duplicate_rule",
        reason: `rule id "${rule.id}" appears twice in the file`,
      });
      continue;
    }
    seen.add(rule.id);
    const problem = queryProblem(rule);
    if (problem) {
      results.push({
        ...base,
        status: "refused",
        code: "invalid_query",
        reason: `invalid query at query line ${problem.line}, column ${problem.column}: ${problem.message}`,
      });
      continue;
    }
    const row = await prisma().rule.findUnique({ where: { id: rule.id } });
    if (!row) {
      await insertRule(rule);
      results.push({ ...base, status: "created" });
    } else {
      // An import brings content; whether the rule runs stays the analyst's choice.
      results.push({ ...base, status: await applyRule(row, { ...rule, enabled: row.enabled }, actor) });
    }
  }
  results.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const report: ImportReport = {
    file: filename,
    format,
    results,
    created: results.filter((r) => r.status === "created").length,
    updated: results.filter((r) => r.status === "updated").length,
    unchanged: results.filter((r) => r.status === "unchanged").length,
    refused: results.filter((r) => r.status === "refused").length,
  };
  await audit(actor, "rule.import", undefined, {
    file: filename,
    format,
    created: results.filter((r) => r.status === "created").map((r) => r.ruleId),
    updated: results.filter((r) => r.status === "updated").map((r) => r.ruleId),
    unchanged: report.unchanged,
    refused: report.refused,
  });
  return report;
}

function refusal(error: RuleError, known: { name?: string | null; ruleId?: string | null } = {}): ImportResult {
  return {
    status: "refused",
    ruleId: known.ruleId ?? null,
    name: "ruleName" in error ? String(error.ruleName) : (known.name ?? null),
    code: error.code,
    reason: error.reason,
    line: error.line,
    column: error.column,
  };
}

function readToml(
  text: string,
  filename: string,
  options: ImportOptions,
  candidates: Candidate[],
  results: ImportResult[],
): void {
  try {
    const parsed = parseElasticRuleToml(text, filename, options.guide === undefined ? {} : { guide: options.guide });
    // Report a bad query at its place in the file, not just within the query.
    checkRuleQuery(parsed, (query) => compile(query, eqlOptionsOf(parsed.rule)));
    candidates.push({ rule: parsed.rule, line: null });
  } catch (error) {
    if (!isRuleError(error)) throw error;
    results.push(refusal(error, { name: nameInToml(text) }));
  }
}

/** The rule's name for a refusal when the file does not parse as a rule. */
function nameInToml(text: string): string | null {
  return /^\s*name\s*=\s*"([^"\n]*)"/m.exec(text)?.[1] ?? null;
}

/**
 * Keelwatch's own fields travel in Kibana's free-form `meta` object as
 * `meta.keelwatch` (triage_steps, response_steps, origin), which Kibana keeps
 * and lib/rules' NDJSON reader does not look at; they are laid over here.
 */
function readNdjson(text: string, filename: string, candidates: Candidate[], results: ImportResult[]): void {
  const { rules, errors } = parseKibanaRulesNdjson(text, filename);
  const lines = text.split(/\r?\n/).map(jsonObject);
  const lineOf = new Map<string, number>();
  lines.forEach((fields, index) => {
    if (typeof fields?.rule_id === "string" && !lineOf.has(fields.rule_id)) lineOf.set(fields.rule_id, index + 1);
  });
  for (const error of errors) {
    const fields = error.line ? lines[error.line - 1] : null;
    results.push(refusal(error, { ruleId: stringOrNull(fields?.rule_id), name: stringOrNull(fields?.name) }));
  }
  for (const rule of rules) {
    const line = lineOf.get(rule.id) ?? null;
    const meta = line === null ? undefined : lines[line - 1]?.meta;
    const raw = meta && typeof meta === "object" ? (meta as Record<string, unknown>).keelwatch : undefined;
    const refused = (reason: string) =>
      results.push({ status: "refused", ruleId: rule.id, name: rule.name, code: "invalid_rule", reason, line });
    const extras = KeelwatchExtrasSchema.safeParse(raw ?? {});
    if (!extras.success) {
      refused(extras.error.issues.map((i) => `meta.keelwatch.${formatIssuePath(i.path)}: ${i.message}`).join("; "));
      continue;
    }
    const e = extras.data;
    const merged = RuleSchema.safeParse({
      ...rule,
      ...(e.triage_steps ? { triageSteps: e.triage_steps } : {}),
      ...(e.response_steps ? { responseSteps: e.response_steps } : {}),
      ...(e.false_positives ? { falsePositives: e.false_positives } : {}),
      ...(e.origin ? { origin: e.origin } : {}),
      ...(e.enabled === undefined ? {} : { enabled: e.enabled }),
    });
    if (!merged.success) {
      refused(merged.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`).join("; "));
      continue;
    }
    candidates.push({ rule: merged.data, line });
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function jsonObject(line: string): Record<string, unknown> | null {
  if (!line.trimStart().startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ export

/**
 * One rule as a Kibana rules-export object: the snake_case fields Kibana and
 * lib/rules/kibana-ndjson read, plus Keelwatch's extras under `meta.keelwatch`.
 */
export function ruleToKibanaObject(rule: Rule): Record<string, unknown> {
  return {
    rule_id: rule.id,
    name: rule.name,
    description: rule.description,
    type: "eql",
    language: "eql",
    query: rule.query,
    event_category_override: rule.eventCategoryField,
    timestamp_field: rule.timestampField,
    ...(rule.tiebreakerField ? { tiebreaker_field: rule.tiebreakerField } : {}),
    severity: rule.severity,
    risk_score: rule.riskScore,
    tags: rule.tags,
    threat: rule.threat,
    interval: rule.interval,
    from: rule.lookback,
    to: "now",
    max_signals: rule.maxAlertsPerRun,
    note: rule.guide,
    false_positives: rule.falsePositives,
    references: rule.references,
    author: rule.authors,
    ...(rule.license ? { license: rule.license } : {}),
    ...(rule.severityMapping.length > 0
      ? {
          severity_mapping: rule.severityMapping.map((entry) => ({
            field: entry.field,
            operator: "equals",
            value: entry.value,
            severity: entry.severity,
          })),
        }
      : {}),
    ...(rule.ruleNameOverride ? { rule_name_override: rule.ruleNameOverride } : {}),
    ...(rule.riskScoreOverride
      ? { risk_score_mapping: [{ field: rule.riskScoreOverride, operator: "equals", value: "" }] }
      : {}),
    ...(rule.alertSuppression
      ? {
          alert_suppression: {
            group_by: rule.alertSuppression.groupBy,
            ...(rule.alertSuppression.duration ? { duration: elasticDuration(rule.alertSuppression.duration) } : {}),
            missing_fields_strategy: rule.alertSuppression.missingFieldsStrategy,
          },
        }
      : {}),
    version: rule.version,
    enabled: rule.enabled,
    exceptions_list: [],
    actions: [],
    meta: {
      keelwatch: { triage_steps: rule.triageSteps, response_steps: rule.responseSteps, origin: rule.origin },
    },
  };
}

/** "5m" as Kibana's {value: 5, unit: "m"}. */
function elasticDuration(duration: string): { value: number; unit: string } {
  return { value: Number.parseInt(duration, 10), unit: duration.slice(-1) };
}

/** Every rule (or the given ids) as Kibana NDJSON, ending with Kibana's export summary line. */
export async function exportRules(ids?: readonly string[]): Promise<string> {
  const rows = await prisma().rule.findMany({
    where: ids ? { id: { in: [...ids] } } : {},
    orderBy: { name: "asc" },
  });
  const lines = rows.map((row) => JSON.stringify(ruleToKibanaObject(ruleFromRow(row))));
  lines.push(
    JSON.stringify({
      exported_count: rows.length,
      exported_rules_count: rows.length,
      missing_rules: [],
      missing_rules_count: 0,
      exported_exception_list_count: 0,
      exported_exception_list_item_count: 0,
    }),
  );
  return `${lines.join("\n")}\n`;
}
