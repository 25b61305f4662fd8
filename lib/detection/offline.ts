import { AncestryTracker } from "../enrich/ancestry";
import type { FieldTypes } from "../eql";
import type { EventFormat } from "../events/formats/types";
import { normalizeEvents } from "../events/normalize";
import { readEvents } from "../events/read-events";
import { shapeAlert } from "./alert-shape";
import { type Detection, type DetectionRule, Detector } from "./detector";
import { ecsText } from "./ecs-fields";

/** An alert as `keelwatch detect` prints it (contract.md), one JSON object per line. */
export interface OfflineAlert {
  rule_id: string;
  /** the rule's name, or the sensor's own rule when a promotion rule names its alerts after it */
  rule_name: string;
  /** the promotion rule's own name, when rule_name is the sensor's rule */
  promotion_rule?: string;
  severity: string;
  risk_score: number;
  timestamp: string | null;
  /** each event's ECS `event.id`, or its line number in the input when it has none */
  event_ids: (string | number)[];
  /** the event that completed the match */
  event: Record<string, unknown>;
  /** every event of a sequence or sample, in order (single-event matches: just the one) */
  events: Record<string, unknown>[];
}

export interface OfflineWarning {
  line: number;
  message: string;
}

type Json = Record<string, unknown>;
const BATCH_SIZE = 2_000;

/**
 * Detection without a database: the same adapters, ancestry and rules as
 * ingest, over one events stream, yielding alerts as they are found.
 * Ancestry can only come from earlier events of the same stream.
 */
export async function* detectOffline(
  input: AsyncIterable<Uint8Array>,
  rules: readonly DetectionRule[],
  options: { format: EventFormat | "auto"; onWarning: (warning: OfflineWarning) => void; fieldTypes?: FieldTypes },
): AsyncGenerator<OfflineAlert> {
  const detector = new Detector(rules, options.fieldTypes ? { fieldTypes: options.fieldTypes } : {});
  const tracker = new AncestryTracker(async () => new Map());
  const lineOf = new WeakMap<object, number>();
  let batch: Json[] = [];
  const flush = async function* (): AsyncGenerator<OfflineAlert> {
    const events = batch;
    batch = [];
    await tracker.enrich(events);
    for (const detection of detector.detect(events)) yield toAlert(detection, lineOf);
  };

  for await (const item of normalizeEvents(readEvents(input), options.format)) {
    if ("error" in item) {
      options.onWarning({ line: item.line, message: item.error });
      continue;
    }
    lineOf.set(item.event, item.line);
    batch.push(item.event);
    if (batch.length >= BATCH_SIZE) yield* flush();
  }
  yield* flush();
  for (const detection of detector.finish()) yield toAlert(detection, lineOf);
}

function toAlert(detection: Detection, lineOf: WeakMap<object, number>): OfflineAlert {
  const events = detection.events as Json[];
  const last = events[events.length - 1] ?? {};
  const shaped = shapeAlert(detection.rule, last);
  return {
    rule_id: detection.rule.id,
    rule_name: shaped.name,
    ...(shaped.name === detection.rule.name ? {} : { promotion_rule: detection.rule.name }),
    severity: shaped.severity,
    risk_score: shaped.riskScore,
    timestamp: ecsText(events[0] ?? {}, "@timestamp"),
    event_ids: events.map((event) => ecsText(event, "event.id") ?? lineOf.get(event) ?? 0),
    event: last,
    events,
  };
}
