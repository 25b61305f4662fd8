/**
 * Samples: `sample by k [t1] [t2] ...` finds, for each join key, one event
 * per term, with no ordering between the terms (unlike sequences) and no
 * event used for two terms.
 *
 * As in Elasticsearch (one sample per key, the default max_samples_per_key):
 * - samples come ordered by join key, the way a composite aggregation orders
 *   its buckets: missing (null) values first, then by value; strings by
 *   code point, numbers numerically;
 * - the events of a sample come in term order; for each term the earliest
 *   event not already taken by an earlier term is used, backtracking when a
 *   later term would otherwise be left without an event (Elasticsearch's
 *   SampleIterator fetches the first n hits of each term, n = number of
 *   terms, in index order, and backtracks the same way). "Earliest" is the
 *   order events are pushed in: index order for Elasticsearch, file order
 *   here; timestamps play no part in a sample, so `run` does not sort them;
 * - `maxSamplesPerKey` (Elasticsearch's max_samples_per_key, default 1) lets
 *   a key give several samples: the first ones that backtracking finds, each
 *   with distinct events, though an event may serve in several samples;
 * - a multi-valued key gives the event one key per value; a missing key keeps
 *   the event out unless the key is optional (see join-keys.ts).
 *
 * Key order means no sample can be returned before the end of input, so
 * everything comes out of finish(). Memory is bounded per key: with n terms
 * and k samples per key, the first n × k events of each term are enough to
 * find the same samples.
 */
import type { Expr, QueryTerm, SampleQuery } from "./ast";
import { type CompileContext, compileFilter, type Predicate } from "./compile-expr";
import { EqlError } from "./errors";
import { compareCodePoints } from "./event-order";
import { compileJoinKeys, type JoinKey, type JoinKeyReader, type JoinKeyValue } from "./join-keys";
import type { EqlEvent, EqlResult } from "./types";

interface SampleTermPlan {
  matches: Predicate;
  keys: JoinKeyReader;
}

export interface SamplePlan {
  terms: SampleTermPlan[];
  /** How many samples one join key may give (Elasticsearch's max_samples_per_key). */
  maxSamplesPerKey: number;
}

/** Elasticsearch's default max_samples_per_key. */
export const DEFAULT_MAX_SAMPLES_PER_KEY = 1;

export function compileSample(
  query: SampleQuery,
  ctx: CompileContext,
  maxSamplesPerKey: number = DEFAULT_MAX_SAMPLES_PER_KEY,
): SamplePlan {
  if (query.terms.length < 2) {
    throw new EqlError("invalid", `a sample needs at least 2 queries, found ${query.terms.length}`, query.span);
  }
  const keyCount = query.by.length + (query.terms[0] as QueryTerm).by.length;
  for (const term of query.terms) {
    if (term.missing) {
      throw new EqlError("invalid", "missing events (![...]) are only allowed in sequences", term.span);
    }
    const count = query.by.length + term.by.length;
    if (count !== keyCount) {
      throw new EqlError(
        "invalid",
        `every sample term needs the same number of join keys: expected ${keyCount} but found ${count}`,
        term.by.length > 0 ? (term.by[0] as Expr).span : term.span,
      );
    }
  }
  return {
    terms: query.terms.map((term) => ({
      matches: compileFilter(term.filter, ctx),
      keys: compileJoinKeys([...query.by, ...term.by], ctx),
    })),
    maxSamplesPerKey,
  };
}

/** Composite-aggregation order of key values: null first, then numbers, booleans, strings. */
function valueRank(value: JoinKeyValue): number {
  if (value === null) return 0;
  if (typeof value === "number") return 1;
  if (typeof value === "boolean") return 2;
  return 3;
}

export function compareJoinKeys(a: readonly JoinKeyValue[], b: readonly JoinKeyValue[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i] as JoinKeyValue;
    const right = b[i] as JoinKeyValue;
    if (left === right) continue;
    const byRank = valueRank(left) - valueRank(right);
    if (byRank !== 0) return byRank;
    if (typeof left === "string" && typeof right === "string") return compareCodePoints(left, right);
    if (typeof left === "number" && typeof right === "number") return left - right;
    return left === false ? -1 : 1; // booleans: false before true
  }
  return a.length - b.length;
}

/**
 * One event per term, distinct, earliest first in term order; null when no
 * such choice exists. Depth-first with backtracking; n is small (the terms).
 */
export function pickDistinct(candidates: readonly (readonly EqlEvent[])[]): EqlEvent[] | null {
  return pickSamples(candidates, 1)[0] ?? null;
}

/**
 * Up to `limit` choices of one distinct event per term, in the order
 * depth-first backtracking finds them (earliest events first, the last term
 * varying fastest).
 */
export function pickSamples(candidates: readonly (readonly EqlEvent[])[], limit: number): EqlEvent[][] {
  const found: EqlEvent[][] = [];
  const chosen: EqlEvent[] = [];
  const used = new Set<EqlEvent>();
  const tryFrom = (term: number): void => {
    if (term === candidates.length) {
      found.push([...chosen]);
      return;
    }
    for (const event of candidates[term] as readonly EqlEvent[]) {
      if (used.has(event)) continue;
      used.add(event);
      chosen.push(event);
      tryFrom(term + 1);
      chosen.pop();
      used.delete(event);
      if (found.length >= limit) return;
    }
  };
  if (limit > 0) tryFrom(0);
  return found;
}

interface KeyState {
  key: JoinKey;
  /** Per term, its first matching events for this key, at most as many as there are terms. */
  candidates: EqlEvent[][];
}

export interface SampleMatcher {
  push(event: EqlEvent): EqlResult[];
  finish(): EqlResult[];
  /** Join keys holding candidate events. */
  keyCount(): number;
}

const NOTHING: EqlResult[] = [];

export function createSampleMatcher(plan: SamplePlan): SampleMatcher {
  const { terms, maxSamplesPerKey } = plan;
  const limit = terms.length * maxSamplesPerKey;
  const byKey = new Map<string, KeyState>();

  function stateFor(key: JoinKey): KeyState {
    let state = byKey.get(key.id);
    if (state === undefined) {
      state = { key, candidates: terms.map(() => []) };
      byKey.set(key.id, state);
    }
    return state;
  }

  return {
    keyCount: () => byKey.size,
    push(event) {
      terms.forEach((term, index) => {
        if (!term.matches(event)) return;
        for (const key of term.keys(event)) {
          const list = stateFor(key).candidates[index] as EqlEvent[];
          if (list.length < limit && !list.includes(event)) list.push(event);
        }
      });
      return NOTHING;
    },
    finish() {
      const states = [...byKey.values()].sort((a, b) => compareJoinKeys(a.key.values, b.key.values));
      byKey.clear();
      const results: EqlResult[] = [];
      for (const state of states) {
        for (const events of pickSamples(state.candidates, maxSamplesPerKey)) {
          results.push({ kind: "sample", events, joinKeys: state.key.values });
        }
      }
      return results;
    },
  };
}
