import { createHash } from "node:crypto";
import type { AlertDraft } from "../db/alerts";
import { shapeAlert } from "./alert-shape";
import type { AlertShape } from "./detector";
import { commandLine, ecsText, ecsValue } from "./ecs-fields";

export const SEVERITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

export interface AlertRuleFacts {
  id: string;
  name: string;
  severity: string;
  riskScore: number;
  /** Name and severity taken from the event (promotion rules); the alert still links to the rule by id. */
  alertShape?: AlertShape | undefined;
}

export interface MatchedEvent {
  event: Record<string, unknown>;
  contentHash: string;
  timestamp: Date;
}

/**
 * The dedup key names the rule and the exact events (by content hash, which
 * does not change when a file is uploaded again), so the same detection never
 * becomes two alerts.
 */
export function dedupKey(ruleId: string, contentHashes: readonly string[]): string {
  const hash = createHash("sha256").update(contentHashes.join("\n")).digest("hex");
  return `${ruleId}:${hash}`;
}

/**
 * Builds the stored alert for a rule match; context comes from the last event (the one that completed it),
 * and so do the name and severity when the rule maps them from the event (a sensor's own alert).
 */
export function alertDraft(rule: AlertRuleFacts, events: readonly MatchedEvent[]): AlertDraft {
  const first = events[0];
  const last = events[events.length - 1];
  if (!first || !last) throw new Error(`rule ${rule.id}: a match without events`);
  const event = last.event;
  const shaped = shapeAlert(rule, event);
  return {
    ruleId: rule.id,
    ruleName: shaped.name,
    severity: shaped.severity,
    severityRank: SEVERITY_RANK[shaped.severity] ?? 0,
    riskScore: shaped.riskScore,
    dedupKey: dedupKey(
      rule.id,
      events.map((matched) => matched.contentHash),
    ),
    timestamp: first.timestamp,
    containerId: ecsText(event, "container.id"),
    containerName: ecsText(event, "container.name"),
    imageName: ecsText(event, "container.image.name"),
    hostName: ecsText(event, "host.name"),
    processName: ecsText(event, "process.name"),
    processExecutable: ecsText(event, "process.executable"),
    commandLine: commandLine(event),
    userName: ecsText(event, "user.name"),
    entityId: ecsText(event, "process.entity_id"),
    entryLeaderEntityId: ecsText(event, "process.entry_leader.entity_id"),
    sessionLeaderEntityId: ecsText(event, "process.session_leader.entity_id"),
    events: events.map((matched) => ({ contentHash: matched.contentHash, timestamp: matched.timestamp })),
    suppression: suppressionGroup(rule, event, first.timestamp),
  };
}

const DURATION_UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * The suppression group of a match (Elastic's alert_suppression): the rule and the values of its group-by fields
 * in the completing event. A missing field is a value of its own ("suppress"), or, with "doNotSuppress", the
 * match is not suppressed at all.
 */
export function suppressionGroup(
  rule: AlertRuleFacts,
  event: Record<string, unknown>,
  timestamp: Date,
): { key: string; endsAt: Date | null } | undefined {
  const settings = rule.alertShape?.alertSuppression;
  if (!settings) return undefined;
  const values = settings.groupBy.map((field) => ecsValue(event, field) ?? null);
  if (settings.missingFieldsStrategy === "doNotSuppress" && values.some((value) => value === null)) return undefined;
  const key = `${rule.id}:${createHash("sha256").update(JSON.stringify(values)).digest("hex")}`;
  const duration = settings.duration;
  if (!duration) return { key, endsAt: null };
  const millis = Number.parseInt(duration, 10) * (DURATION_UNIT_MS[duration.slice(-1)] ?? 60_000);
  return { key, endsAt: new Date(timestamp.getTime() + millis) };
}
