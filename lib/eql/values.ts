/**
 * Field lookup in ECS events, shaped the way Elasticsearch indexes them.
 *
 * Producers write the same field three ways: nested objects
 * (`{"process":{"name":"nc"}}`), dotted keys (`{"process.name":"nc"}`) or a
 * mix (`{"process":{"entry_leader.same_as_process":false}}`). Elasticsearch
 * indexes all three as the one field `process.name`, flattens arrays of
 * objects (`{"a":[{"b":1},{"b":2}]}` gives `a.b` the values 1 and 2), and does
 * not index `null` or empty arrays, so those read as a missing field.
 *
 * A getter therefore returns one of:
 * - `undefined`: the field is missing (absent, null, `[]`, or an object rather than a leaf value);
 * - a scalar (string, number, boolean): a single value;
 * - a readonly array of scalars (two or more values, never nested, never containing null).
 *
 * The common case (plain nested objects holding a scalar) walks the path
 * without allocating; dotted keys, arrays of objects and arrays with nulls
 * take a slower general path.
 */
import type { EqlEvent } from "./types";

export type FieldScalar = string | number | boolean;
export type FieldValue = FieldScalar | readonly FieldScalar[] | undefined;
export type FieldGetter = (event: EqlEvent) => FieldValue;

function isScalar(value: unknown): value is FieldScalar {
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An array Elasticsearch would index as is: scalars only, no nulls, no nesting. */
function isFlatScalarArray(values: readonly unknown[]): values is readonly FieldScalar[] {
  for (const value of values) {
    if (!isScalar(value)) return false;
  }
  return true;
}

function collectLeaf(value: unknown, out: FieldScalar[]): void {
  if (isScalar(value)) {
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const element of value) collectLeaf(element, out);
  }
  // null and objects are not leaf values: Elasticsearch indexes nothing for them.
}

/**
 * Every value at `path[from..]` below `node`, following nested objects,
 * dotted keys of any length and arrays of objects.
 */
function collectPath(node: unknown, path: readonly string[], from: number, out: FieldScalar[]): void {
  if (from === path.length) {
    collectLeaf(node, out);
    return;
  }
  if (Array.isArray(node)) {
    for (const element of node) collectPath(element, path, from, out);
    return;
  }
  if (!isPlainObject(node)) return;
  let key = "";
  for (let to = from; to < path.length; to++) {
    key = to === from ? (path[to] as string) : `${key}.${path[to]}`;
    if (Object.hasOwn(node, key)) collectPath(node[key], path, to + 1, out);
  }
}

/** Reused by every lookup (they never nest), so a missing field costs no allocation. */
const scratch: FieldScalar[] = [];

function slowLookup(event: EqlEvent, path: readonly string[]): FieldValue {
  scratch.length = 0;
  collectPath(event, path, 0, scratch);
  if (scratch.length === 0) return undefined;
  if (scratch.length === 1) return scratch[0];
  return scratch.slice();
}

/** Resolve a field path once into a getter that reads it from any event. */
export function compileFieldGetter(path: readonly string[]): FieldGetter {
  const segments = [...path];
  const depth = segments.length;
  if (depth === 0) return () => undefined;
  return (event) => {
    let node: unknown = event;
    for (let i = 0; i < depth; i++) {
      if (!isPlainObject(node)) return slowLookup(event, segments);
      node = node[segments[i] as string];
      if (node === undefined) return slowLookup(event, segments);
    }
    if (isScalar(node)) return node;
    if (Array.isArray(node)) {
      if (node.length === 1 && isScalar(node[0])) return node[0];
      if (node.length > 1 && isFlatScalarArray(node)) return node;
    }
    return slowLookup(event, segments);
  };
}

/** The first value of a field value, or undefined when missing. */
export function firstValue(value: FieldValue): FieldScalar | undefined {
  if (Array.isArray(value)) return value[0] as FieldScalar | undefined;
  return value as FieldScalar | undefined;
}

// ---------------------------------------------------------------- timestamps

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * Parse an ISO-8601 timestamp into epoch milliseconds, keeping sub-millisecond
 * digits as a fraction (so nanosecond timestamps still order correctly up to
 * double precision). A timestamp without an offset is UTC, as in Elasticsearch.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const monthIndex = Number(month) - 1;
  const dayOfMonth = Number(day);
  if (monthIndex < 0 || monthIndex > 11 || dayOfMonth < 1 || dayOfMonth > 31) return undefined;
  const hours = Number(hour ?? 0);
  const minutes = Number(minute ?? 0);
  const seconds = Number(second ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  let millis = Date.UTC(Number(year), monthIndex, dayOfMonth, hours, minutes, seconds);
  if (fraction !== undefined) millis += Number(`0.${fraction}`) * 1000;
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
    millis -= sign * offsetMinutes * 60_000;
  }
  return millis;
}

/**
 * The event time in epoch milliseconds: an ISO-8601 string (Z or offset, any
 * fraction length), or epoch milliseconds as a number or numeric string. A
 * multi-valued timestamp uses its first value. Undefined when absent or unreadable.
 */
export function readTimestamp(event: EqlEvent, getter: (event: EqlEvent) => unknown): number | undefined {
  let value = getter(event);
  if (Array.isArray(value)) value = value[0];
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  if (NUMERIC.test(value)) return Number(value);
  return parseIsoTimestamp(value);
}
