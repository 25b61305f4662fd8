import type { FieldTypes } from "./field-types";

/**
 * Public types of the EQL engine: what callers pass in and get back.
 * Events are plain JSON objects (ECS documents, nested or with dotted keys).
 */

export type EqlEvent = Record<string, unknown>;

export interface EqlOptions {
  /** Field holding the event category (`process where` tests it). Default "event.category". */
  eventCategoryField?: string;
  /** Field holding the event time, used to order events and for maxspan. Default "@timestamp". */
  timestampField?: string;
  /** Optional field that orders events sharing a timestamp. */
  tiebreakerField?: string;
  /** At most this many results (ES `size`). Default: no limit. */
  size?: number;
  /** Treat every case-sensitive operator and function as its `~` form. */
  caseInsensitive?: boolean;
  /** How many samples one join key may give (ES `max_samples_per_key`). Default 1. */
  maxSamplesPerKey?: number;
  /**
   * Field types, as an index mapping gives them (see field-types.ts):
   * `ECS_FIELD_TYPES`, `fieldTypesFromMapping(json)`, or both with `withMapping`.
   * A field it does not name compares by its JSON values. Default: none.
   */
  fieldTypes?: FieldTypes;
}

/** One result of a query. */
export type EqlResult =
  | { kind: "event"; event: EqlEvent }
  | { kind: "sequence"; events: EqlEvent[]; joinKeys: unknown[] }
  | { kind: "sample"; events: EqlEvent[]; joinKeys: unknown[] };

/**
 * A runner consumes events one at a time (or in batches) and yields results
 * as soon as they are known, so a caller never needs all events in memory.
 * `finish()` flushes what only the end of input can decide (e.g. `| tail`).
 */
export interface EqlRunner {
  push(event: EqlEvent): EqlResult[];
  pushAll(events: Iterable<EqlEvent>): EqlResult[];
  finish(): EqlResult[];
  /**
   * How much state the runner holds: partial sequences, or join keys of a
   * sample. Zero for event queries. Callers running over unbounded input
   * (hunts) watch it to stop before memory grows without limit.
   */
  held(): number;
}
