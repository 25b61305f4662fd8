/**
 * Join keys of sequences and samples (`sequence by a, b`, `[...] by c`).
 *
 * Elasticsearch reads each key from the event's indexed values:
 * - a multi-valued key field gives one key per value (each value joins on its
 *   own, so two events sharing any one value join), and several multi-valued
 *   keys give every combination;
 * - a missing key (absent, null, `[]`) keeps the event out of every join,
 *   unless the key is optional (`?field`), in which case its value is null
 *   and it joins with other events whose key is also missing (ES #79677);
 * - keys compare by value and type: the number 7 and the string "7" differ.
 */
import type { Expr } from "./ast";
import { type CompileContext, compileValue } from "./compile-expr";
import type { EqlEvent } from "./types";

export type JoinKeyValue = string | number | boolean | null;

export interface JoinKey {
  /** The key's values, one per `by` expression, as reported in results. */
  values: JoinKeyValue[];
  /** A string that is equal for equal keys, for use as a map key. */
  id: string;
}

/** Reads all join keys of an event; an empty list when the event cannot join. */
export type JoinKeyReader = (event: EqlEvent) => JoinKey[];

const NO_KEYS: JoinKey[] = [];
const EMPTY_KEY: JoinKey = { values: [], id: "[]" };

function isKeyScalar(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === "string" || (type === "number" && Number.isFinite(value)) || type === "boolean";
}

/** The distinct values one key expression gives for an event; empty when it gives none. */
function keyValues(raw: unknown, optional: boolean): JoinKeyValue[] {
  if (Array.isArray(raw)) {
    const values: JoinKeyValue[] = [];
    for (const value of raw) {
      if (isKeyScalar(value) && !values.includes(value)) values.push(value);
    }
    if (values.length > 0) return values;
    return optional ? [null] : [];
  }
  if (isKeyScalar(raw)) return [raw];
  return optional ? [null] : [];
}

/** Compile `by` expressions once into a reader of every key combination of an event. */
export function compileJoinKeys(exprs: readonly Expr[], ctx: CompileContext): JoinKeyReader {
  if (exprs.length === 0) return () => [EMPTY_KEY];
  const readers = exprs.map((expr) => ({
    read: compileValue(expr, ctx),
    // An unmapped optional field has become the null literal: every event joins under a null key.
    optional: (expr.kind === "field" && expr.optional) || (expr.kind === "literal" && expr.value === null),
  }));
  if (readers.length === 1) {
    const only = readers[0] as (typeof readers)[number];
    return (event) => {
      const values = keyValues(only.read(event), only.optional);
      if (values.length === 0) return NO_KEYS;
      return values.map((value) => makeKey([value]));
    };
  }
  return (event) => {
    let combinations: JoinKeyValue[][] = [[]];
    for (const reader of readers) {
      const values = keyValues(reader.read(event), reader.optional);
      if (values.length === 0) return NO_KEYS;
      const next: JoinKeyValue[][] = [];
      for (const prefix of combinations) {
        for (const value of values) next.push([...prefix, value]);
      }
      combinations = next;
    }
    return combinations.map(makeKey);
  };
}

/** The map id of a one-value key: a type tag keeps 7, "7" and true apart without JSON encoding. */
function singleId(value: JoinKeyValue): string {
  if (value === null) return "z";
  switch (typeof value) {
    case "string":
      return `s${value}`;
    case "number":
      return `n${value}`;
    default:
      return `b${value}`;
  }
}

export function makeKey(values: JoinKeyValue[]): JoinKey {
  return { values, id: values.length === 1 ? singleId(values[0] as JoinKeyValue) : JSON.stringify(values) };
}
