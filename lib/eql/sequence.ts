/**
 * Sequences: `sequence [by k] [with maxspan=D] [t1] [t2] ... [until [u]]`,
 * matched the way Elasticsearch's sequence state machine matches them, but
 * one event at a time over events that arrive in order.
 *
 * # The state machine (positive terms)
 *
 * For every positive term but the last there is one slot per join key
 * holding the partial sequence that has just matched that term. An event
 * matching term i+1 under key k takes the partial from slot i of k (if any),
 * extends it and moves it to slot i+1 (or completes it). An event matching
 * the first term starts a partial in slot 0. A newer partial replaces an
 * older one in the same slot: Elasticsearch always extends the LATEST
 * candidate before the event and discards all older ones with it, so an older
 * partial in a slot can never be used again. Keeping one slot per key and
 * stage is therefore exact, and bounds memory by the number of live keys.
 *
 * An event may match several terms; it is offered to the terms from last to
 * first, so it never extends a partial it just created (Elasticsearch orders
 * by a strictly increasing ordinal, which gives the same result).
 *
 * - maxspan: a partial is rejected when the extending event is more than
 *   maxspan after the partial's FIRST event (equal is allowed); maxspan=0
 *   sets no limit, as in Elasticsearch.
 * - until: an until event for key k drops every partial of k. It is applied
 *   after the event is offered to the terms: an event that is both an until
 *   and a term match still extends (or completes) a sequence, but a partial
 *   it leaves behind is dropped, as Elasticsearch's inclusive
 *   Ordinal.between(partial's last, hit) check on the nearest earlier until does.
 * - runs=N: the term is repeated N times.
 *
 * # Missing events (`![...]`)
 *
 * Missing terms do not take part in matching. Like Elasticsearch, each
 * sequence of positive events is a candidate that is checked afterwards:
 * - a missing term between two positive terms rejects the candidate when an
 *   event of it (same key) lies strictly between those two events in time;
 *   such a "doomed" partial keeps moving through the slots (it still takes
 *   and replaces partials as in Elasticsearch) and is dropped on completion;
 * - leading missing terms look for the latest event of them before the first
 *   positive event, trailing ones for the earliest event after the last;
 *   the candidate is kept unless the found events fit within maxspan
 *   together with the sequence (see `decideEdges`, which follows the rule of
 *   Elasticsearch's TumblingWindow.doCheckMissingEvents).
 * A missing event appears in the result as the shared MISSING_EVENT object.
 *
 * # Result order and streaming
 *
 * Results come in the order of their last positive event. A candidate that
 * waits for a trailing missing event holds back later results until it is
 * decided: when a trailing event arrives, when time moves past maxspan, or at
 * finish(). Events without a readable timestamp cannot be placed in time and
 * never take part in a sequence (Elasticsearch needs the timestamp for the
 * ordinal of every event).
 */
import type { Expr, QueryTerm, SequenceQuery } from "./ast";
import { type CompileContext, compileFilter, type Predicate } from "./compile-expr";
import { EqlError } from "./errors";
import { compileTimestampReader } from "./event-order";
import { compileJoinKeys, type JoinKey, type JoinKeyReader } from "./join-keys";
import type { EqlEvent, EqlOptions, EqlResult } from "./types";

/** Stands for an event a sequence proved absent (`![...]`); it has no fields, in particular no id. */
export const MISSING_EVENT: EqlEvent = Object.freeze({});

export function isMissingEvent(event: EqlEvent): boolean {
  return event === MISSING_EVENT;
}

/** More terms than this (after `runs`) is refused: each term costs a slot per key and a test per event. */
export const MAX_SEQUENCE_TERMS = 256;

interface TermPlan {
  matches: Predicate;
  keys: JoinKeyReader;
  missing: boolean;
  /** Terms repeated by `runs` share one plan; this numbers the distinct plans for per-event caching. */
  id: number;
}

export interface SequencePlan {
  /** Every term in order, `runs` expanded. */
  terms: TermPlan[];
  until: TermPlan | null;
  /** Milliseconds, or null when the query has no maxspan. */
  maxspan: number | null;
  timestamp: (event: EqlEvent) => number | undefined;
  /** How many distinct term plans there are (ids 0..planCount-1). */
  planCount: number;
}

// ---------------------------------------------------------------- compile

function keyCountError(expected: number, found: number, term: QueryTerm): EqlError {
  return new EqlError(
    "invalid",
    `every sequence term needs the same number of join keys: expected ${expected} but found ${found}`,
    term.by.length > 0 ? (term.by[0] as Expr).span : term.span,
  );
}

export function compileSequence(query: SequenceQuery, ctx: CompileContext, options: EqlOptions): SequencePlan {
  const expanded: QueryTerm[] = [];
  for (const term of query.terms) {
    if (!Number.isSafeInteger(term.runs) || term.runs < 1) {
      throw new EqlError("invalid", `runs must be a whole number of at least 1, not ${term.runs}`, term.span);
    }
    if (expanded.length + term.runs > MAX_SEQUENCE_TERMS) {
      throw new EqlError(
        "unsupported",
        `a sequence may have at most ${MAX_SEQUENCE_TERMS} terms, counting runs`,
        term.span,
      );
    }
    for (let i = 0; i < term.runs; i++) expanded.push(term);
  }
  if (expanded.length < 2) {
    throw new EqlError("invalid", "a sequence needs at least two terms", query.span);
  }
  if (expanded.every((term) => term.missing)) {
    throw new EqlError("invalid", "a sequence needs at least one term that is not a missing event", query.span);
  }
  const first = query.terms[0] as QueryTerm;
  const keyCount = query.by.length + first.by.length;
  for (const term of [...query.terms, ...(query.until ? [query.until] : [])]) {
    const count = query.by.length + term.by.length;
    if (count !== keyCount) throw keyCountError(keyCount, count, term);
  }

  // Compile each written term once, even when `runs` repeats it.
  const compiled = new Map<QueryTerm, TermPlan>();
  const plan = (term: QueryTerm): TermPlan => {
    let result = compiled.get(term);
    if (result === undefined) {
      result = {
        matches: compileFilter(term.filter, ctx),
        keys: compileJoinKeys([...query.by, ...term.by], ctx),
        missing: term.missing,
        id: compiled.size,
      };
      compiled.set(term, result);
    }
    return result;
  };
  return {
    terms: expanded.map(plan),
    until: query.until ? plan(query.until) : null,
    planCount: compiled.size,
    // Elasticsearch only enforces a maxspan greater than zero (SequenceMatcher.exceedsMaxSpan), so 0 means none.
    maxspan: query.maxspan && query.maxspan.millis > 0 ? query.maxspan.millis : null,
    timestamp: compileTimestampReader(options),
  };
}

// ---------------------------------------------------------------- run

/** A sequence in progress (or completed, awaiting its missing-event checks). */
interface Partial {
  key: JoinKey;
  /** One slot per term; missing terms hold MISSING_EVENT. */
  events: EqlEvent[];
  /** Time of the first and of the latest positive event. */
  start: number;
  last: number;
  /** Latest event of a leading missing term before `start` (read when the partial starts). */
  lastLeading: number | undefined;
  /** Time of the earliest middle missing event seen since `last`, if any. */
  gapMissing: number | undefined;
  /** A middle missing event was found between two of its positives. */
  doomed: boolean;
}

/** A completed candidate in the output queue. */
interface Outcome {
  result: EqlResult;
  state: "accepted" | "rejected" | "waiting";
  /** For a waiting outcome: the time the maxspan is measured from, and the last positive time. */
  reference: number | undefined;
  last: number;
  keyId: string;
}

/**
 * The latest time an event of a leading missing term was seen for one key,
 * plus the latest time before that one, so a query for "latest strictly
 * before t" still works when an event at exactly t has already been seen.
 */
interface LeadingTrack {
  latest: number;
  previous: number | undefined;
}

function latestBefore(track: LeadingTrack | undefined, time: number): number | undefined {
  if (track === undefined) return undefined;
  if (track.latest < time) return track.latest;
  if (track.previous !== undefined && track.previous < time) return track.previous;
  return undefined;
}

function recordLeading(tracks: Map<string, LeadingTrack>, keyId: string, time: number): void {
  const track = tracks.get(keyId);
  if (track === undefined) {
    tracks.set(keyId, { latest: time, previous: undefined });
  } else if (time > track.latest) {
    track.previous = track.latest;
    track.latest = time;
  } else if (time < track.latest && (track.previous === undefined || time > track.previous)) {
    track.previous = time;
  }
}

const NOTHING: EqlResult[] = [];
const MIN_SWEEP_BUDGET = 64;
const NO_KEYS: JoinKey[] = [];

export interface SequenceMatcher {
  push(event: EqlEvent): EqlResult[];
  finish(): EqlResult[];
  /** Partial sequences held (for tests of the memory bound). */
  pendingCount(): number;
}

export function createSequenceMatcher(plan: SequencePlan): SequenceMatcher {
  const { terms, until, maxspan, timestamp } = plan;
  const termCount = terms.length;
  const positives: number[] = [];
  terms.forEach((term, index) => {
    if (!term.missing) positives.push(index);
  });
  const firstPositive = positives[0] as number;
  const lastPositive = positives[positives.length - 1] as number;
  const hasLeading = firstPositive > 0;
  const hasTrailing = lastPositive < termCount - 1;
  /** Index in `positives` of the positive term before each term (-1 for leading terms). */
  const previousPositive = terms.map((_, index) => {
    let found = -1;
    positives.forEach((position, rank) => {
      if (position < index) found = rank;
    });
    return found;
  });

  // slots[r]: partials whose latest positive is positives[r], by key id (the last positive has none).
  const slots: Map<string, Partial>[] = positives.slice(0, -1).map(() => new Map());
  const leadingTracks: Map<string, LeadingTrack>[] = terms.map(() => new Map());
  const awaitingTrailing = new Map<string, Outcome[]>();
  const queue: Outcome[] = [];
  let queueStart = 0;
  let watermark = Number.NEGATIVE_INFINITY;
  let lastSweep = Number.NEGATIVE_INFINITY;
  // A sweep visits every held entry, so it waits for at least as many pushes as entries it last kept:
  // the cost per event stays constant and memory stays within twice the live entries.
  let pushesSinceSweep = 0;
  let sweepBudget = MIN_SWEEP_BUDGET;

  const exceeds = (from: number, to: number): boolean => maxspan !== null && to - from > maxspan;

  /**
   * The latest leading missing event before `time`. Read when a partial starts: every event before
   * it has been seen by then, and later ones no longer change the answer.
   */
  function leadingBefore(keyId: string, time: number): number | undefined {
    let latest: number | undefined;
    for (let index = 0; index < firstPositive; index++) {
      const found = latestBefore(leadingTracks[index]?.get(keyId), time);
      if (found !== undefined && (latest === undefined || found > latest)) latest = found;
    }
    return latest;
  }

  function newPartial(key: JoinKey, event: EqlEvent, time: number): Partial {
    const events = new Array<EqlEvent>(termCount).fill(MISSING_EVENT);
    events[firstPositive] = event;
    const lastLeading = hasLeading ? leadingBefore(key.id, time) : undefined;
    return { key, events, start: time, last: time, lastLeading, gapMissing: undefined, doomed: false };
  }

  function toResult(partial: Partial): EqlResult {
    return { kind: "sequence", events: partial.events, joinKeys: partial.key.values };
  }

  /** Decide a candidate's leading/trailing missing events, or leave it waiting for a trailing event. */
  function complete(partial: Partial): void {
    if (partial.doomed) return;
    const outcome: Outcome = {
      result: toResult(partial),
      state: "accepted",
      reference: undefined,
      last: partial.last,
      keyId: partial.key.id,
    };
    const lastLeading = partial.lastLeading;
    if (hasLeading && lastLeading === undefined) {
      outcome.state = "accepted"; // no leading event: kept whatever follows
    } else if (!hasTrailing) {
      // Only leading terms (found one) or no edge terms at all.
      outcome.state = lastLeading === undefined || exceeds(lastLeading, partial.last) ? "accepted" : "rejected";
    } else {
      outcome.state = "waiting";
      outcome.reference = hasLeading ? lastLeading : partial.start;
      let list = awaitingTrailing.get(partial.key.id);
      if (list === undefined) {
        list = [];
        awaitingTrailing.set(partial.key.id, list);
      }
      list.push(outcome);
    }
    if (outcome.state !== "rejected") queue.push(outcome);
  }

  /**
   * Results at the head of the queue that are decided, in order. A waiting candidate is accepted
   * here once time is past its reference + maxspan: from then on no trailing event can reject it.
   * Deciding only at the head is enough, because a trailing event that reaches a waiting candidate
   * after its deadline accepts it too (the span then exceeds maxspan).
   */
  function drain(): EqlResult[] {
    if (queueStart === queue.length) return NOTHING;
    const output: EqlResult[] = [];
    while (queueStart < queue.length) {
      const outcome = queue[queueStart] as Outcome;
      if (outcome.state === "waiting") {
        if (maxspan === null || watermark <= (outcome.reference as number) + maxspan) break;
        outcome.state = "accepted";
        forgetWaiting(outcome);
      }
      if (outcome.state === "accepted") output.push(outcome.result);
      queueStart++;
    }
    // Compact now and then rather than shifting the array on every result.
    if (queueStart === queue.length) {
      queue.length = 0;
      queueStart = 0;
    } else if (queueStart > 1024 && queueStart * 2 > queue.length) {
      queue.splice(0, queueStart);
      queueStart = 0;
    }
    return output;
  }

  function forgetWaiting(outcome: Outcome): void {
    const list = awaitingTrailing.get(outcome.keyId);
    if (list === undefined) return;
    const index = list.indexOf(outcome);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) awaitingTrailing.delete(outcome.keyId);
  }

  function onTrailing(keyId: string, time: number): void {
    const list = awaitingTrailing.get(keyId);
    if (list === undefined) return;
    const rest = list.filter((outcome) => {
      if (outcome.state !== "waiting" || time <= outcome.last) return outcome.state === "waiting";
      outcome.state = exceeds(outcome.reference as number, time) ? "accepted" : "rejected";
      return false;
    });
    if (rest.length === 0) awaitingTrailing.delete(keyId);
    else awaitingTrailing.set(keyId, rest);
  }

  /** Drop partials that can no longer complete within maxspan, and leading events too old to matter. */
  function sweep(): void {
    pushesSinceSweep++;
    if (maxspan === null || watermark - lastSweep <= maxspan || pushesSinceSweep < sweepBudget) return;
    lastSweep = watermark;
    pushesSinceSweep = 0;
    for (const slot of slots) {
      for (const [keyId, partial] of slot) {
        if (watermark - partial.start > maxspan) slot.delete(keyId);
      }
    }
    // A leading event more than maxspan before a candidate's start never rejects it; any future start
    // is at least watermark - maxspan, so events older than watermark - 2 * maxspan cannot matter.
    for (const tracks of leadingTracks) {
      for (const [keyId, track] of tracks) {
        if (watermark - track.latest > 2 * maxspan) tracks.delete(keyId);
      }
    }
    let kept = 0;
    for (const slot of slots) kept += slot.size;
    for (const tracks of leadingTracks) kept += tracks.size;
    sweepBudget = Math.max(MIN_SWEEP_BUDGET, kept);
  }

  function advance(rank: number, event: EqlEvent, time: number, key: JoinKey): void {
    const termIndex = positives[rank] as number;
    if (rank === 0) {
      const partial = newPartial(key, event, time);
      if (positives.length === 1) complete(partial);
      else (slots[0] as Map<string, Partial>).set(key.id, partial);
      return;
    }
    const from = slots[rank - 1] as Map<string, Partial>;
    const partial = from.get(key.id);
    if (partial === undefined) return;
    from.delete(key.id);
    if (exceeds(partial.start, time)) return;
    if (partial.gapMissing !== undefined && partial.gapMissing < time) partial.doomed = true;
    partial.gapMissing = undefined;
    partial.events[termIndex] = event;
    partial.last = time;
    if (rank === positives.length - 1) complete(partial);
    else (slots[rank] as Map<string, Partial>).set(key.id, partial);
  }

  function onMissing(termIndex: number, time: number, key: JoinKey): void {
    const rank = previousPositive[termIndex] as number;
    if (rank < 0) {
      recordLeading(leadingTracks[termIndex] as Map<string, LeadingTrack>, key.id, time);
    } else if (termIndex > lastPositive) {
      onTrailing(key.id, time);
    } else {
      const partial = (slots[rank] as Map<string, Partial>).get(key.id);
      if (partial !== undefined && time > partial.last && partial.gapMissing === undefined) {
        partial.gapMissing = time;
      }
    }
  }

  // Per-event cache of each distinct plan's keys (empty when it does not match): a term repeated
  // by `runs` is tested once per event, not once per repetition.
  const cachedKeys: JoinKey[][] = new Array(plan.planCount).fill([]);
  const cachedAt: number[] = new Array(plan.planCount).fill(-1);
  let generation = 0;

  function keysOf(term: TermPlan, event: EqlEvent): JoinKey[] {
    if (cachedAt[term.id] === generation) return cachedKeys[term.id] as JoinKey[];
    const keys = term.matches(event) ? term.keys(event) : NO_KEYS;
    cachedAt[term.id] = generation;
    cachedKeys[term.id] = keys;
    return keys;
  }

  function push(event: EqlEvent): EqlResult[] {
    const time = timestamp(event);
    if (time === undefined) return NOTHING;
    if (time > watermark) watermark = time;

    generation++;
    for (let index = termCount - 1; index >= 0; index--) {
      const term = terms[index] as TermPlan;
      if (!term.missing) continue;
      for (const key of keysOf(term, event)) onMissing(index, time, key);
    }
    for (let rank = positives.length - 1; rank >= 0; rank--) {
      const term = terms[positives[rank] as number] as TermPlan;
      for (const key of keysOf(term, event)) advance(rank, event, time, key);
    }
    // After the terms: an until event may still extend (even complete) a sequence itself, but every
    // partial of its key, including one it just extended, is dead (Elasticsearch rejects when an
    // until lies in [partial's last event, extending event), both ends by ordinal, the right open).
    if (until?.matches(event)) {
      for (const key of until.keys(event)) {
        for (const slot of slots) slot.delete(key.id);
      }
    }
    sweep();
    return drain();
  }

  function finish(): EqlResult[] {
    for (const outcome of queue) {
      if (outcome.state === "waiting") outcome.state = "accepted";
    }
    awaitingTrailing.clear();
    for (const slot of slots) slot.clear();
    return drain();
  }

  return {
    push,
    finish,
    pendingCount: () => slots.reduce((total, slot) => total + slot.size, 0),
  };
}
