import { z } from "zod";
import type { AlertShape, DetectionRule } from "../detection/detector";
import { AlertSuppressionSchema, type Rule, SeverityMappingEntrySchema } from "../rules/schema";
import { prisma } from "./client";

/** The enabled rules, in the shape detection runs them. */
export async function listEnabledDetectionRules(): Promise<DetectionRule[]> {
  const rows = await prisma().rule.findMany({
    where: { enabled: true, type: "eql" },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      severity: true,
      riskScore: true,
      maxAlertsPerRun: true,
      query: true,
      eventCategoryField: true,
      timestampField: true,
      tiebreakerField: true,
      lookback: true,
      severityMapping: true,
      ruleNameOverride: true,
      riskScoreOverride: true,
      alertSuppression: true,
    },
  });
  return rows.map(({ severityMapping, ruleNameOverride, riskScoreOverride, alertSuppression, ...row }) => ({
    ...row,
    alertShape: alertShapeOf(severityMapping, ruleNameOverride, riskScoreOverride, alertSuppression),
  }));
}

/** The JSON columns that shape a rule's alerts, read leniently: an unreadable one shapes nothing. */
function alertShapeOf(
  severityMapping: string,
  ruleNameOverride: string | null,
  riskScoreOverride: string | null,
  alertSuppression: string | null,
): AlertShape {
  const mapping = z.array(SeverityMappingEntrySchema).safeParse(parseJson(severityMapping));
  const suppression = alertSuppression === null ? null : AlertSuppressionSchema.safeParse(parseJson(alertSuppression));
  return {
    severityMapping: mapping.success ? mapping.data : [],
    ruleNameOverride,
    riskScoreOverride,
    alertSuppression: suppression?.success ? suppression.data : null,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The columns a rule's content is stored in, JSON-valued fields as text:
 * everything but id, version, enabled and bookkeeping. Shared by the built-in
 * pack loader and rule administration so both write a rule the same way.
 */
export function ruleContentColumns(rule: Rule) {
  return {
    name: rule.name,
    description: rule.description,
    type: rule.type,
    query: rule.query,
    eventCategoryField: rule.eventCategoryField,
    timestampField: rule.timestampField,
    tiebreakerField: rule.tiebreakerField ?? null,
    severity: rule.severity,
    riskScore: rule.riskScore,
    tags: JSON.stringify(rule.tags),
    threat: JSON.stringify(rule.threat),
    interval: rule.interval,
    lookback: rule.lookback,
    maxAlertsPerRun: rule.maxAlertsPerRun,
    guide: rule.guide,
    triageSteps: JSON.stringify(rule.triageSteps),
    responseSteps: JSON.stringify(rule.responseSteps),
    falsePositives: JSON.stringify(rule.falsePositives),
    references: JSON.stringify(rule.references),
    authors: JSON.stringify(rule.authors),
    license: rule.license ?? null,
    origin: rule.origin,
    severityMapping: JSON.stringify(rule.severityMapping),
    ruleNameOverride: rule.ruleNameOverride ?? null,
    riskScoreOverride: rule.riskScoreOverride ?? null,
    alertSuppression: rule.alertSuppression ? JSON.stringify(rule.alertSuppression) : null,
  };
}

/**
 * Loads the built-in pack into the database: new rules are inserted, rules
 * whose pack version or text changed are updated (keeping the previous version
 * in RuleVersion), and an analyst's enable/disable choice is never overwritten,
 * nor an analyst's edit of the rule until the pack's version passes it.
 * Returns the ids it inserted or updated.
 *
 * Several instances on one database (issue 22) start at once, and each runs
 * this: a rule another one inserted or updated between this one's read and its
 * write fails on a unique key, and is then looked at again (found stored, and
 * current), instead of failing the start-up.
 */
export async function syncBuiltinRules(rules: readonly Rule[]): Promise<{ inserted: string[]; updated: string[] }> {
  const inserted: string[] = [];
  const updated: string[] = [];
  for (const rule of rules) {
    let outcome: SyncOutcome;
    try {
      outcome = await syncBuiltinRule(rule);
    } catch (error) {
      if ((error as { code?: string } | null)?.code !== "P2002") throw error;
      outcome = await syncBuiltinRule(rule);
    }
    if (outcome === "inserted") inserted.push(rule.id);
    else if (outcome === "updated") updated.push(rule.id);
  }
  return { inserted, updated };
}

type SyncOutcome = "inserted" | "updated" | "unchanged";

async function syncBuiltinRule(rule: Rule): Promise<SyncOutcome> {
  const db = prisma();
  const columns = { ...ruleContentColumns(rule), version: rule.version };
  const existing = await db.rule.findUnique({ where: { id: rule.id } });
  if (!existing) {
    await db.rule.create({ data: { id: rule.id, ...columns, enabled: rule.enabled, builtin: true } });
    return "inserted";
  }
  // An analyst's edit (e.g. a promotion rule's severity mapping) bumps the row past the pack's version: keep it.
  // A later pack release with a higher version replaces it, keeping the edit in RuleVersion.
  if (existing.version > rule.version) return "unchanged";
  const changed = (Object.keys(columns) as (keyof typeof columns)[]).some((key) => existing[key] !== columns[key]);
  if (!changed) return "unchanged";
  const { enabled: _keep, createdAt: _c, updatedAt: _u, ...previous } = existing;
  await db.$transaction([
    db.ruleVersion.upsert({
      where: { ruleId_version: { ruleId: rule.id, version: existing.version } },
      create: { ruleId: rule.id, version: existing.version, snapshot: JSON.stringify(previous) },
      update: {},
    }),
    db.rule.update({ where: { id: rule.id }, data: { ...columns, builtin: true } }),
  ]);
  return "updated";
}
