/**
 * The order Elasticsearch gives events: by timestamp, then by the optional
 * tiebreaker field, then by index order. For events we receive as a list,
 * "index order" is the order they were given in, so sorting must be stable.
 *
 * Elasticsearch sorts documents missing a sort value last, so an event whose
 * timestamp (or tiebreaker) is absent or unreadable goes after all others.
 */
import type { EqlEvent, EqlOptions } from "./types";
import { compileFieldGetter, type FieldGetter, firstValue, readTimestamp } from "./values";

export const DEFAULT_TIMESTAMP_FIELD = "@timestamp";

export type EventComparator = (a: EqlEvent, b: EqlEvent) => number;

/** A getter for a dotted field name given in the options (`"@timestamp"`, `"event.sequence"`). */
export function optionFieldGetter(name: string): FieldGetter {
  return compileFieldGetter(name.split("."));
}

/** Reads the event time (epoch milliseconds) as configured by `options.timestampField`. */
export function compileTimestampReader(options: EqlOptions = {}): (event: EqlEvent) => number | undefined {
  const getter = optionFieldGetter(options.timestampField ?? DEFAULT_TIMESTAMP_FIELD);
  return (event) => readTimestamp(event, getter);
}

type SortValue = number | string | boolean | undefined;

/**
 * Tiebreaker values sort like an Elasticsearch field of one type would:
 * numbers numerically, strings by code point. JSON lets one field hold mixed
 * types, which a mapping would not; we put numbers before booleans before
 * strings so the order is still total and deterministic.
 */
function typeRank(value: SortValue): number {
  switch (typeof value) {
    case "number":
      return 0;
    case "boolean":
      return 1;
    case "string":
      return 2;
    default:
      return 3; // missing: last
  }
}

function compareSortValues(a: SortValue, b: SortValue): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (a === undefined || b === undefined || a === b) return 0;
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  return (a as number) < (b as number) ? -1 : 1;
}

/**
 * Compares strings by Unicode code point, which is the order of their UTF-8
 * bytes (how Lucene orders keywords), unlike `<` on UTF-16 code units.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const unitA = a.charCodeAt(i);
    const unitB = b.charCodeAt(i);
    if (unitA === unitB) continue;
    // Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF, which must sort after 0xE000-0xFFFF.
    const surrogateA = unitA >= 0xd800 && unitA <= 0xdfff;
    const surrogateB = unitB >= 0xd800 && unitB <= 0xdfff;
    if (surrogateA !== surrogateB) return surrogateA ? 1 : -1;
    return unitA - unitB;
  }
  return a.length - b.length;
}

interface SortKeyReader {
  timestamp: (event: EqlEvent) => number | undefined;
  tiebreaker: ((event: EqlEvent) => SortValue) | null;
}

function sortKeyReader(options: EqlOptions): SortKeyReader {
  const tiebreakerGetter = options.tiebreakerField ? optionFieldGetter(options.tiebreakerField) : null;
  return {
    timestamp: compileTimestampReader(options),
    tiebreaker: tiebreakerGetter ? (event) => firstValue(tiebreakerGetter(event)) : null,
  };
}

/**
 * A comparator by timestamp, then tiebreaker. Events it calls equal keep
 * their relative order under a stable sort (Array.prototype.sort is stable),
 * which gives the "then input order" rule.
 */
export function compareEvents(options: EqlOptions = {}): EventComparator {
  const reader = sortKeyReader(options);
  return (a, b) => {
    const byTime = compareSortValues(reader.timestamp(a), reader.timestamp(b));
    if (byTime !== 0 || reader.tiebreaker === null) return byTime;
    return compareSortValues(reader.tiebreaker(a), reader.tiebreaker(b));
  };
}

/**
 * The events in Elasticsearch order, as a new array (the input is not
 * touched). Sort keys are read once per event rather than once per comparison.
 */
export function sortEvents(events: readonly EqlEvent[], options: EqlOptions = {}): EqlEvent[] {
  const reader = sortKeyReader(options);
  const count = events.length;
  const timestamps = new Array<number | undefined>(count);
  const tiebreakers = reader.tiebreaker ? new Array<SortValue>(count) : null;
  for (let i = 0; i < count; i++) {
    const event = events[i] as EqlEvent;
    timestamps[i] = reader.timestamp(event);
    if (tiebreakers && reader.tiebreaker) tiebreakers[i] = reader.tiebreaker(event);
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((i, j) => {
    const byTime = compareSortValues(timestamps[i], timestamps[j]);
    if (byTime !== 0) return byTime;
    if (tiebreakers) {
      const byTiebreaker = compareSortValues(tiebreakers[i], tiebreakers[j]);
      if (byTiebreaker !== 0) return byTiebreaker;
    }
    return i - j;
  });
  return order.map((i) => events[i] as EqlEvent);
}
