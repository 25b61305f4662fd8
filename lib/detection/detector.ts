import {
  type CompiledQuery,
  createRunner,
  type EqlEvent,
  type EqlResult,
  type EqlRunner,
  type FieldTypes,
  sortEvents,
} from "../eql";
import type { AlertSuppression, SeverityMappingEntry } from "../rules/schema";
import { compileCached } from "./compile-cache";
import { lookbackMillis, MAX_LOOKBACK_MILLIS } from "./lookback";

/** What detection needs of a rule (lib/rules has the full model). */
export interface DetectionRule {
  id: string;
  name: string;
  severity: string;
  riskScore: number;
  maxAlertsPerRun: number;
  query: string;
  eventCategoryField: string;
  timestampField: string;
  tiebreakerField: string | null;
  /** Elastic date math such as "now-6m": how far back a sequence may reach into stored events. */
  lookback?: string;
  /** How the rule's alerts take their name, severity and grouping from the events; none: from the rule. */
  alertShape?: AlertShape;
}

/** A rule's per-event alert settings (kept apart from the rule's columns, under a name no column has). */
export interface AlertShape {
  /** Per-event severity (Elastic's severity_mapping); empty: always the rule's severity. */
  severityMapping: readonly SeverityMappingEntry[];
  /** An event field whose value names the alert (Elastic's rule_name_override). */
  ruleNameOverride: string | null;
  /** An event field whose number (0-100) is the alert's risk score (Elastic's risk_score_mapping). */
  riskScoreOverride: string | null;
  /** Fold repeated matches into one alert (Elastic's alert_suppression). */
  alertSuppression: AlertSuppression | null;
}

/** One rule match: a single event, or the events of a sequence or sample in order. */
export interface Detection {
  rule: DetectionRule;
  events: EqlEvent[];
}

export class RuleCompileError extends Error {
  constructor(
    readonly rule: DetectionRule,
    override readonly cause: unknown,
  ) {
    super(`rule "${rule.name}" (${rule.id}) cannot run: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "RuleCompileError";
  }
}

interface ArmedRule {
  rule: DetectionRule;
  compiled: CompiledQuery;
  runner: EqlRunner;
  needsOrder: boolean;
}

/**
 * Runs every rule over a stream of event batches. Each rule keeps its own
 * streaming runner, so a sequence can complete across batches. Events of a
 * batch are put in time order first for sequence rules, whose meaning depends
 * on it. Sample rules take them as they come, as `run` and `keelwatch eql`
 * do: Elasticsearch fills each sample from the first hits of each term in
 * index order, with no sort, so timestamps play no part in a sample.
 */
export class Detector {
  private readonly armed: ArmedRule[];

  /** `fieldTypes`: how fields compare (ECS built-ins, a user's mapping); without it, by their JSON values. */
  constructor(rules: readonly DetectionRule[], options: { fieldTypes?: FieldTypes } = {}) {
    this.armed = rules.map((rule) => {
      let compiled: CompiledQuery;
      try {
        compiled = compileCached(rule.query, {
          eventCategoryField: rule.eventCategoryField,
          timestampField: rule.timestampField,
          tiebreakerField: rule.tiebreakerField ?? undefined,
          ...(options.fieldTypes ? { fieldTypes: options.fieldTypes } : {}),
        });
      } catch (error) {
        throw new RuleCompileError(rule, error);
      }
      return { rule, compiled, runner: createRunner(compiled), needsOrder: compiled.query.kind === "sequence" };
    });
  }

  get rules(): DetectionRule[] {
    return this.armed.map((armed) => armed.rule);
  }

  detect(batch: readonly EqlEvent[]): Detection[] {
    const detections: Detection[] = [];
    // Rules may order by different timestamp fields: sort once per ordering.
    const orderings = new Map<string, EqlEvent[]>();
    for (const armed of this.armed) {
      let input: readonly EqlEvent[] = batch;
      if (armed.needsOrder) {
        const key = `${armed.rule.timestampField}\n${armed.rule.tiebreakerField ?? ""}`;
        let ordered = orderings.get(key);
        if (!ordered) {
          ordered = sortEvents([...batch], armed.compiled.options);
          orderings.set(key, ordered);
        }
        input = ordered;
      }
      for (const result of armed.runner.pushAll(input)) detections.push(toDetection(armed.rule, result));
    }
    return detections;
  }

  /**
   * Sequence and sample rules with a lookback, and how far back each reaches:
   * a sequence begun in an earlier upload can complete in this one.
   */
  historyNeeds(): { rule: DetectionRule; millis: number }[] {
    return this.armed.flatMap((armed) => {
      const millis = lookbackMillis(armed.rule.lookback);
      return armed.compiled.query.kind !== "event" && millis !== null && millis > 0
        ? [{ rule: armed.rule, millis: Math.min(millis, MAX_LOOKBACK_MILLIS) }]
        : [];
    });
  }

  /**
   * Feeds already-stored events (oldest first, all before the next batch) to one
   * rule so its open sequences include them. Whatever they complete on their own
   * was raised when they were stored, so those results are dropped.
   */
  replay(ruleId: string, history: readonly EqlEvent[]): void {
    const armed = this.armed.find((candidate) => candidate.rule.id === ruleId);
    if (armed) armed.runner.pushAll(armed.needsOrder ? sortEvents([...history], armed.compiled.options) : history);
  }

  /** Results only the end of input can decide (e.g. `| tail`). */
  finish(): Detection[] {
    return this.armed.flatMap((armed) => armed.runner.finish().map((result) => toDetection(armed.rule, result)));
  }
}

function toDetection(rule: DetectionRule, result: EqlResult): Detection {
  return { rule, events: result.kind === "event" ? [result.event] : result.events };
}
