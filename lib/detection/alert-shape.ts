import type { SeverityMappingEntry } from "../rules/schema";
import type { AlertShape } from "./detector";
import { ecsValue } from "./ecs-fields";

type Json = Record<string, unknown>;

const RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
/** An overridden name longer than this is cut: it is a title in lists, not the sensor's whole output. */
const MAX_NAME_LENGTH = 256;

/**
 * The severity an event gives its alert under a severity mapping: of the
 * entries whose field holds their value (as text, so 5 matches "5"; any item
 * of an array field), the highest severity, as Kibana resolves several
 * matches; the rule's own severity when none matches.
 */
export function mappedSeverity(mapping: readonly SeverityMappingEntry[], event: Json, fallback: string): string {
  let best: string | null = null;
  for (const entry of mapping) {
    if (!fieldHolds(event, entry.field, entry.value)) continue;
    if (best === null || (RANK[entry.severity] ?? 0) > (RANK[best] ?? 0)) best = entry.severity;
  }
  return best ?? fallback;
}

/**
 * The alert's name under a rule name override: the field's text (first item
 * of an array), or the rule's name when the event lacks it, as in Kibana.
 */
export function overriddenName(field: string | null, event: Json, fallback: string): string {
  if (!field) return fallback;
  const value = ecsValue(event, field);
  const first = Array.isArray(value) ? value[0] : value;
  const text = typeof first === "string" ? first.trim() : typeof first === "number" ? String(first) : "";
  if (text === "") return fallback;
  return text.length > MAX_NAME_LENGTH ? `${text.slice(0, MAX_NAME_LENGTH - 1)}…` : text;
}

/**
 * The alert's risk score under a risk score override: the field's number from 0 to 100 (first item of an array;
 * a numeric text counts, as Elastic's sensors write either), rounded to a whole number; the rule's risk score when
 * the event lacks it or holds something else, as in Kibana.
 */
export function overriddenRiskScore(field: string | null | undefined, event: Json, fallback: number): number {
  if (!field) return fallback;
  const value = ecsValue(event, field);
  const first = Array.isArray(value) ? value[0] : value;
  const score =
    typeof first === "number" ? first : typeof first === "string" && first.trim() !== "" ? Number(first) : NaN;
  return Number.isFinite(score) && score >= 0 && score <= 100 ? Math.round(score) : fallback;
}

/** Name, severity and risk score of the alert `event` raises under `rule`. */
export function shapeAlert(
  rule: { name: string; severity: string; riskScore: number; alertShape?: AlertShape | undefined },
  event: Json,
): { name: string; severity: string; riskScore: number } {
  const shape = rule.alertShape;
  if (!shape) return { name: rule.name, severity: rule.severity, riskScore: rule.riskScore };
  return {
    name: overriddenName(shape.ruleNameOverride, event, rule.name),
    severity: mappedSeverity(shape.severityMapping, event, rule.severity),
    riskScore: overriddenRiskScore(shape.riskScoreOverride, event, rule.riskScore),
  };
}

function fieldHolds(event: Json, field: string, expected: string): boolean {
  const value = ecsValue(event, field);
  const values = Array.isArray(value) ? value : [value];
  return values.some(
    (item) =>
      (typeof item === "string" || typeof item === "number" || typeof item === "boolean") && String(item) === expected,
  );
}
