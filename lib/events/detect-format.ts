/**
 * Picks the event format of a file from its first events. Each adapter scores
 * each sample 0..1; the format with the best average wins. ECS is the default:
 * it is chosen when nothing else averages at least MIN_CONFIDENCE, since a
 * file of plain ECS (or something close) is the common case and its adapter
 * reports precise per-field errors for anything else.
 */
import { datadogAdapter } from "./formats/datadog";
import { ecsAdapter } from "./formats/ecs";
import { falcoAdapter } from "./formats/falco";
import { tetragonAdapter } from "./formats/tetragon";
import type { EventFormat, FormatAdapter } from "./formats/types";
import { type Json, object } from "./formats/util";

const ADAPTERS: Record<EventFormat, FormatAdapter> = {
  ecs: ecsAdapter,
  falco: falcoAdapter,
  tetragon: tetragonAdapter,
  datadog: datadogAdapter,
};

/** Below this average score a non-ECS format is not convincing. */
export const MIN_CONFIDENCE = 0.5;

export function getAdapter(format: EventFormat): FormatAdapter {
  return ADAPTERS[format];
}

export function detectFormat(samples: readonly Record<string, unknown>[]): { format: EventFormat; confidence: number } {
  if (samples.length === 0) return { format: "ecs", confidence: 0 };
  let best: { format: EventFormat; confidence: number } = { format: "ecs", confidence: 0 };
  let ecsConfidence = 0;
  for (const adapter of Object.values(ADAPTERS)) {
    let total = 0;
    for (const sample of samples) total += clamp(adapter.detect(sample));
    const confidence = total / samples.length;
    if (adapter.format === "ecs") ecsConfidence = confidence;
    // Ties go to the adapter listed first (ECS), so the default wins an even match.
    if (confidence > best.confidence) best = { format: adapter.format, confidence };
  }
  if (best.format !== "ecs" && best.confidence < MIN_CONFIDENCE) return { format: "ecs", confidence: ecsConfidence };
  return best;
}

function clamp(score: number): number {
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

/**
 * The format one event unmistakably is, from the key its format names events with, or
 * undefined when it has none (such a line fails every adapter; the stream's main format then
 * explains why). A handful of own-key checks, so every line of an "auto" stream can afford it.
 */
export function sniffFormat(event: Json): EventFormat | undefined {
  if (object(event.output_fields)) return "falco";
  if (object(event.evt)) return "datadog";
  // Tetragon names each event by its kind: process_exec, process_kprobe, process_connect, …
  for (const key in event) {
    if ((key.startsWith("process_") || key === "rate_limit_info") && object(event[key])) return "tetragon";
  }
  if (Object.hasOwn(event, "@timestamp") || object(event._source)) return "ecs";
  // Datadog log exports wrap the event: {"content": {"attributes": {"evt", …}}} or {"attributes": {"attributes": …}}.
  if ((object(event.content) || object(event.attributes)) && datadogAdapter.detect(event) > 0) return "datadog";
  return undefined;
}
