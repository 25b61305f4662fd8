/**
 * "Add exception" from an alert: the conditions to start from, taken from the
 * alert's triggering event. Only fields that tell one workload's benign
 * activity apart (image, executable, arguments, parent, user) are offered;
 * the analyst removes what is too narrow. Timestamps, ids and hosts are left
 * out because they would make the exception match this one event only.
 */
import { compileFieldGetter } from "../eql/values";
import type { ExceptionCondition } from "./schema";

export const PREFILL_FIELDS = [
  // A sensor's own alert (Falco, Tetragon, Datadog): its rule, so the exception silences that rule only.
  "rule.name",
  "container.image.name",
  "process.executable",
  "process.args",
  "process.parent.executable",
  "user.name",
  "orchestrator.namespace",
] as const;

/** A long argument vector would make a group too big to read; the first ones are the telling ones. */
const MAX_VALUES_PER_FIELD = 8;

export function prefillConditions(event: Record<string, unknown>): ExceptionCondition[] {
  const conditions: ExceptionCondition[] = [];
  for (const field of PREFILL_FIELDS) {
    const value = compileFieldGetter(field.split("."))(event);
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    // Each value as its own "is" row: together they require every argument,
    // where "is one of" would accept an event sharing just one.
    const distinct = [...new Set(values.map(String))].filter((text) => text !== "");
    for (const text of distinct.slice(0, MAX_VALUES_PER_FIELD)) {
      conditions.push({ field, operator: "is", value: text });
    }
  }
  return conditions;
}
