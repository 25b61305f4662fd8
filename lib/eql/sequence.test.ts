import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortEvents } from "./event-order";
import { parse } from "./parser";
import { compile, createRunner, run } from "./runner";
import { compileSequence, createSequenceMatcher, isMissingEvent, MISSING_EVENT } from "./sequence";
import type { EqlEvent, EqlResult } from "./types";

const T0 = Date.UTC(2024, 0, 1);

/** An event at `second`, of category `category`, with optional host. */
function ev(id: number, second: number, category: string, host?: string): EqlEvent {
  const event: EqlEvent = { id, "@timestamp": T0 + second * 1000, event: { category } };
  if (host !== undefined) event.host = host;
  return event;
}

function ids(results: EqlResult[]): number[][] {
  return results.map((result) => {
    if (result.kind === "event") throw new Error("expected sequences");
    return result.events.map((event) => (isMissingEvent(event) ? -1 : (event.id as number)));
  });
}

const seq = (query: string, events: EqlEvent[]) => ids(run(query, events));

describe("sequence state machine", () => {
  it("extends the latest pending candidate and discards older ones", () => {
    const events = [ev(1, 1, "a"), ev(2, 2, "a"), ev(3, 3, "b"), ev(4, 4, "b")];
    expect(seq("sequence [a where true] [b where true]", events)).toEqual([[2, 3]]);
  });

  it("lets one event end one sequence and start the next", () => {
    const events = [ev(1, 1, "a"), ev(2, 2, "a"), ev(3, 3, "a")];
    expect(seq("sequence [a where true] [a where true]", events)).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it("never uses one event for two terms of the same sequence", () => {
    expect(seq("sequence [any where true] [any where true]", [ev(1, 1, "a")])).toEqual([]);
  });

  it("keeps keys apart and reports them", () => {
    const events = [ev(1, 1, "a", "x"), ev(2, 2, "a", "y"), ev(3, 3, "b", "x"), ev(4, 4, "b", "y")];
    const results = run("sequence by host [a where true] [b where true]", events);
    expect(ids(results)).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(results.map((r) => (r.kind === "sequence" ? r.joinKeys : null))).toEqual([["x"], ["y"]]);
  });

  it("keeps events without a required key out, and joins them on an optional key", () => {
    const events = [ev(1, 1, "a"), ev(2, 2, "b")];
    expect(seq("sequence by host [a where true] [b where true]", events)).toEqual([]);
    const results = run("sequence by ?host [a where true] [b where true]", events);
    expect(ids(results)).toEqual([[1, 2]]);
    expect(results[0]?.kind === "sequence" && results[0].joinKeys).toEqual([null]);
  });

  it('does not join the number 7 with the string "7"', () => {
    const events = [
      { id: 1, "@timestamp": 1, event: { category: "a" }, k: 7 },
      { id: 2, "@timestamp": 2, event: { category: "b" }, k: "7" },
      { id: 3, "@timestamp": 3, event: { category: "b" }, k: 7 },
    ];
    expect(seq("sequence by k [a where true] [b where true]", events)).toEqual([[1, 3]]);
  });

  it("expands runs into repeated terms", () => {
    const events = [ev(1, 1, "a"), ev(2, 2, "a"), ev(3, 3, "a"), ev(4, 4, "b")];
    expect(seq("sequence [a where true] with runs=3 [b where true]", events)).toEqual([[1, 2, 3, 4]]);
    expect(seq("sequence [a where true] [a where true] [a where true] [b where true]", events)).toEqual([[1, 2, 3, 4]]);
  });

  it("skips events whose timestamp cannot be read", () => {
    const events = [ev(1, 1, "a"), { id: 2, event: { category: "b" } }, ev(3, 3, "b")];
    expect(seq("sequence [a where true] [b where true]", events)).toEqual([[1, 3]]);
  });
});

describe("maxspan", () => {
  const events = [ev(1, 0, "a"), ev(2, 5, "b"), ev(3, 10, "c")];

  it("keeps a sequence spanning exactly maxspan, first to last event", () => {
    expect(seq("sequence with maxspan=10s [a where true] [b where true] [c where true]", events)).toEqual([[1, 2, 3]]);
  });

  it("drops a sequence one millisecond longer, even when every step is short", () => {
    expect(seq("sequence with maxspan=9999ms [a where true] [b where true] [c where true]", events)).toEqual([]);
  });

  it("sets no limit when it is zero, as Elasticsearch does", () => {
    expect(seq("sequence with maxspan=0s [a where true] [b where true] [c where true]", events)).toEqual([[1, 2, 3]]);
  });

  it("bounds memory: partials older than maxspan are dropped while streaming", () => {
    const compiled = compile("sequence by host with maxspan=5s [a where true] [b where true]");
    if (compiled.plan.kind !== "sequence") throw new Error("expected a sequence plan");
    const matcher = createSequenceMatcher(compiled.plan.sequence);
    let most = 0;
    for (let i = 0; i < 5000; i++) {
      matcher.push(ev(i, i, "a", `host-${i}`));
      most = Math.max(most, matcher.pendingCount());
    }
    // Six keys are live at any time; sweeps run every 64 pushes or more (see MIN_SWEEP_BUDGET).
    expect(most).toBeLessThanOrEqual(64 + 6);
  });

  it("keeps one partial per key and stage without maxspan", () => {
    const compiled = compile("sequence by host [a where true] [b where true] [c where true]");
    if (compiled.plan.kind !== "sequence") throw new Error("expected a sequence plan");
    const matcher = createSequenceMatcher(compiled.plan.sequence);
    for (let i = 0; i < 50; i++) matcher.push(ev(i, i, i % 2 === 0 ? "a" : "b", `h${i % 3}`));
    expect(matcher.pendingCount()).toBeLessThanOrEqual(6);
  });
});

describe("until", () => {
  const query = "sequence by host [a where true] [b where true] until [u where true]";

  it("drops the partial sequences of its key only", () => {
    const events = [ev(1, 1, "a", "x"), ev(2, 2, "a", "y"), ev(3, 3, "u", "x"), ev(4, 4, "b", "x"), ev(5, 5, "b", "y")];
    expect(seq(query, events)).toEqual([[2, 5]]);
  });

  it("does not stop sequences that start after it", () => {
    const events = [ev(1, 1, "u", "x"), ev(2, 2, "a", "x"), ev(3, 3, "b", "x")];
    expect(seq(query, events)).toEqual([[2, 3]]);
  });

  it("lets an until event extend a sequence itself, but not a partial it leaves behind", () => {
    const both = (id: number, second: number, categories: string[]) => ({
      ...ev(id, second, "", "x"),
      event: { category: categories },
    });
    expect(seq(query, [ev(1, 1, "a", "x"), both(2, 2, ["b", "u"])])).toEqual([[1, 2]]);
    expect(seq(query, [both(1, 1, ["a", "u"]), ev(2, 2, "b", "x")])).toEqual([]);
    const three = "sequence by host [a where true] [b where true] [c where true] until [u where true]";
    expect(seq(three, [ev(1, 1, "a", "x"), both(2, 2, ["b", "u"]), ev(3, 3, "c", "x")])).toEqual([]);
  });
});

describe("missing events", () => {
  it("rejects a candidate with the missing event between its positives", () => {
    const q = "sequence with maxspan=10s [a where true] ![m where true] [b where true]";
    expect(seq(q, [ev(1, 1, "a"), ev(2, 2, "m"), ev(3, 3, "b")])).toEqual([]);
    expect(seq(q, [ev(1, 1, "a"), ev(2, 3, "b"), ev(3, 4, "m")])).toEqual([[1, -1, 2]]);
  });

  it("does not count a missing event at the same time as a positive", () => {
    const q = "sequence [a where true] ![m where true] [b where true]";
    expect(seq(q, [ev(1, 1, "a"), ev(2, 1, "m"), ev(3, 3, "b")])).toEqual([[1, -1, 3]]);
  });

  it("fills missing slots with the shared placeholder, which has no id", () => {
    const [result] = run("sequence [a where true] ![m where true] [b where true]", [ev(1, 1, "a"), ev(2, 2, "b")]);
    expect(result?.kind === "sequence" && result.events[1]).toBe(MISSING_EVENT);
    expect(Object.isFrozen(MISSING_EVENT)).toBe(true);
  });

  it("rejects on a leading missing event within maxspan before the first positive", () => {
    const q = "sequence with maxspan=5s ![m where true] [a where true] [b where true]";
    expect(seq(q, [ev(1, 0, "m"), ev(2, 4, "a"), ev(3, 5, "b")])).toEqual([]);
    expect(seq(q, [ev(1, 0, "m"), ev(2, 6, "a"), ev(3, 7, "b")])).toEqual([[-1, 2, 3]]);
  });

  it("waits for time to pass maxspan before returning a candidate with a trailing missing term", () => {
    const runner = createRunner(compile("sequence with maxspan=5s [a where true] [b where true] ![m where true]"));
    expect(runner.push(ev(1, 0, "a"))).toEqual([]);
    expect(runner.push(ev(2, 1, "b"))).toEqual([]);
    expect(runner.push(ev(3, 5, "x"))).toEqual([]); // 5s after the start: a trailing m could still reject
    expect(ids(runner.push(ev(4, 6, "x")))).toEqual([[1, 2, -1]]);
    expect(runner.finish()).toEqual([]);
  });

  it("rejects on the first trailing missing event within maxspan and keeps later results in order", () => {
    const runner = createRunner(
      compile("sequence by host with maxspan=5s [a where true] [b where true] ![m where true]"),
    );
    runner.push(ev(1, 0, "a", "x"));
    runner.push(ev(2, 1, "b", "x"));
    runner.push(ev(3, 2, "a", "y"));
    expect(runner.push(ev(4, 3, "b", "y"))).toEqual([]);
    // x's candidate is rejected; y's is still open until its 5s pass.
    expect(runner.push(ev(5, 4, "m", "x"))).toEqual([]);
    expect(ids(runner.push(ev(6, 8, "z")))).toEqual([[3, 4, -1]]);
  });

  it("streams a long run of results that each wait a while, in order", () => {
    const runner = createRunner(compile("sequence with maxspan=10s [a where true] [b where true] ![m where true]"));
    const out: EqlResult[] = [];
    for (let i = 0; i < 6000; i++) out.push(...runner.push(ev(i, i, i % 2 === 0 ? "a" : "b")));
    const beforeFinish = out.length;
    out.push(...runner.finish());
    expect(beforeFinish).toBeGreaterThan(2990);
    expect(ids(out)).toEqual(Array.from({ length: 3000 }, (_, k) => [2 * k, 2 * k + 1, -1]));
  });

  it("decides trailing-only candidates at finish when there is no maxspan", () => {
    const query = "sequence [a where true] [b where true] ![m where true]";
    expect(seq(query, [ev(1, 0, "a"), ev(2, 1, "b")])).toEqual([[1, 2, -1]]);
    expect(seq(query, [ev(1, 0, "a"), ev(2, 1, "b"), ev(3, 1000, "m")])).toEqual([]);
  });

  it("with leading and trailing terms, rejects only when both are found within maxspan of each other", () => {
    const q = "sequence with maxspan=10s ![m where true] [a where true] ![m where true]";
    // leading m at 0, trailing m at 12: 12s apart > 10s, kept.
    expect(seq(q, [ev(1, 0, "m"), ev(2, 5, "a"), ev(3, 12, "m")])).toEqual([[-1, 2, -1]]);
    // leading m at 2, trailing m at 12: exactly 10s, rejected.
    expect(seq(q, [ev(1, 2, "m"), ev(2, 5, "a"), ev(3, 12, "m")])).toEqual([]);
    // no leading m: kept whatever follows.
    expect(seq(q, [ev(2, 5, "a"), ev(3, 6, "m")])).toEqual([[-1, 2, -1]]);
  });
});

describe("compileSequence", () => {
  it("rejects a sequence of missing terms only and inconsistent key counts", () => {
    const ctx = { eventCategoryField: "event.category", caseInsensitive: false };
    const query = parse("sequence [a where true] [b where true]");
    if (query.kind !== "sequence") throw new Error("expected a sequence");
    const allMissing = { ...query, terms: query.terms.map((term) => ({ ...term, missing: true })) };
    expect(() => compileSequence(allMissing, ctx, {})).toThrow(/not a missing event/);
    const keyed = parse("sequence [a where true] by x [b where true] by y");
    if (keyed.kind !== "sequence") throw new Error("expected a sequence");
    const uneven = { ...keyed, terms: [keyed.terms[0], { ...keyed.terms[1], by: [] }] } as typeof keyed;
    expect(() => compileSequence(uneven, ctx, {})).toThrow(/same number of join keys/);
    const tooMany = { ...query, terms: query.terms.map((term) => ({ ...term, runs: 200 })) };
    expect(() => compileSequence(tooMany, ctx, {})).toThrow(/at most/);
  });
});

// ---------------------------------------------------------------- reference model

/**
 * An independent, batch model of Elasticsearch's matcher: stage by stage over
 * all events, each stage's group a list of candidates ordered by ordinal; a
 * hit takes the latest candidate before it and trims it and all older ones
 * (SequenceGroup.trimBefore); maxspan (if above 0) against the first event; until rejects
 * when the nearest marker before the hit is at or after the candidate's last
 * event. Missing terms are skipped by the matching and checked afterwards on
 * each candidate with queries over all events, as
 * TumblingWindow.doCheckMissingEvents does.
 */
interface ModelStage {
  category: string;
  missing: boolean;
}

interface ModelParams {
  stages: ModelStage[];
  until: string | null;
  maxspan: number | null;
  optionalKey: boolean;
}

interface ModelEvent {
  id: number;
  second: number;
  category: string;
  host?: string;
}

interface Candidate {
  events: ModelEvent[];
  start: number;
  ordinal: number;
}

function model(params: ModelParams, events: ModelEvent[]): number[][] {
  const keyOf = (e: ModelEvent) => (e.host !== undefined ? e.host : params.optionalKey ? "<null>" : undefined);
  const positives = params.stages.filter((stage) => !stage.missing);
  const groups = positives.map(() => new Map<string, Candidate[]>());
  const markers = new Map<string, number[]>();
  events.forEach((e, ordinal) => {
    const key = keyOf(e);
    if (params.until !== null && e.category === params.until && key !== undefined) {
      markers.set(key, [...(markers.get(key) ?? []), ordinal]);
    }
  });
  const completed: Candidate[] = [];
  positives.forEach(({ category }, stage) => {
    events.forEach((e, ordinal) => {
      const key = keyOf(e);
      if (e.category !== category || key === undefined) return;
      const started = { events: [e], start: e.second, ordinal };
      if (stage === 0) {
        if (positives.length === 1) {
          completed.push(started);
          return;
        }
        const list = groups[0]?.get(key) ?? [];
        list.push(started);
        groups[0]?.set(key, list);
        return;
      }
      const list = groups[stage - 1]?.get(key) ?? [];
      let index = -1;
      list.forEach((candidate, i) => {
        if (candidate.ordinal < ordinal) index = i;
      });
      if (index < 0) return;
      const candidate = list[index] as Candidate;
      list.splice(0, index + 1);
      if (params.maxspan && e.second - candidate.start > params.maxspan) return;
      const nearest = Math.max(-1, ...(markers.get(key) ?? []).filter((m) => m < ordinal));
      if (nearest >= candidate.ordinal) return;
      const next = { events: [...candidate.events, e], start: candidate.start, ordinal };
      if (stage === positives.length - 1) {
        completed.push(next);
      } else {
        const target = groups[stage]?.get(key) ?? [];
        target.push(next);
        groups[stage]?.set(key, target);
      }
    });
  });
  return completed
    .sort((a, b) => a.ordinal - b.ordinal)
    .filter((candidate) => passesMissingChecks(params, events, keyOf, candidate))
    .map((candidate) => {
      const ids: number[] = [];
      let next = 0;
      for (const stage of params.stages) ids.push(stage.missing ? -1 : (candidate.events[next++] as ModelEvent).id);
      return ids;
    });
}

function passesMissingChecks(
  params: ModelParams,
  events: ModelEvent[],
  keyOf: (e: ModelEvent) => string | undefined,
  candidate: Candidate,
): boolean {
  const key = keyOf(candidate.events[0] as ModelEvent);
  const stages = params.stages;
  const firstPositive = stages.findIndex((stage) => !stage.missing);
  const lastPositive = stages.length - 1 - [...stages].reverse().findIndex((stage) => !stage.missing);
  const times = candidate.events.map((e) => e.second);
  const exceeds = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined || (!!params.maxspan && to - from > params.maxspan);
  let lastLeading: number | undefined;
  let firstTrailing: number | undefined;
  let positivesSeen = 0;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i] as ModelStage;
    if (!stage.missing) {
      positivesSeen++;
      continue;
    }
    const hits = events.filter((e) => e.category === stage.category && keyOf(e) === key).map((e) => e.second);
    if (i < firstPositive) {
      const before = hits.filter((t) => t < (times[0] as number));
      if (before.length > 0) lastLeading = Math.max(lastLeading ?? -Infinity, ...before);
    } else if (i > lastPositive) {
      const after = hits.filter((t) => t > (times[times.length - 1] as number));
      if (after.length > 0) firstTrailing = Math.min(firstTrailing ?? Infinity, ...after);
    } else {
      const from = times[positivesSeen - 1] as number;
      const to = times[positivesSeen] as number;
      if (hits.some((t) => t > from && t < to)) return false;
    }
  }
  const leading = stages[0]?.missing === true;
  const trailing = stages[stages.length - 1]?.missing === true;
  return (
    (firstTrailing === undefined && lastLeading === undefined) ||
    (lastLeading === undefined && leading) ||
    (firstTrailing === undefined && trailing) ||
    (leading && trailing && exceeds(lastLeading, firstTrailing)) ||
    (leading && !trailing && exceeds(lastLeading, times[times.length - 1])) ||
    (!leading && trailing && exceeds(times[0], firstTrailing))
  );
}

function queryOf(p: ModelParams): string {
  return [
    `sequence by ${p.optionalKey ? "?" : ""}host`,
    p.maxspan !== null ? `with maxspan=${p.maxspan}s` : "",
    ...p.stages.map((stage) => `${stage.missing ? "!" : ""}[${stage.category} where true]`),
    p.until !== null ? `until [${p.until} where true]` : "",
  ].join(" ");
}

describe("the streaming matcher agrees with the batch model of Elasticsearch", () => {
  const eventsOf = (maxSecond: number, maxLength: number, minLength = 0) =>
    fc
      .array(
        fc.record({
          second: fc.integer({ min: 0, max: maxSecond }),
          category: fc.constantFrom("a", "b", "c", "m", "u"),
          host: fc.option(fc.constantFrom("x", "y"), { nil: undefined }),
        }),
        { minLength, maxLength },
      )
      .map((raw) => raw.map((r, index) => ({ id: index + 1, ...r })));

  function check(params: fc.Arbitrary<ModelParams>, numRuns: number, modelEvents = eventsOf(15, 30)): void {
    fc.assert(
      fc.property(params, modelEvents, (p, raw) => {
        const events = raw.map((r) => {
          const event: EqlEvent = { id: r.id, "@timestamp": T0 + r.second * 1000, event: { category: r.category } };
          if (r.host !== undefined) event.host = r.host;
          return event;
        });
        const sorted = sortEvents(events).map((event) => raw[(event.id as number) - 1] as ModelEvent);
        expect(seq(queryOf(p), events)).toEqual(model(p, sorted));
      }),
      { numRuns },
    );
  }

  it("for random positive terms, keys, maxspan and until", () => {
    const positive = fc.constantFrom("a", "b", "c").map((category) => ({ category, missing: false }));
    check(
      fc.record({
        stages: fc.array(positive, { minLength: 2, maxLength: 4 }),
        until: fc.option(fc.constantFrom("u", "a", "b"), { nil: null }),
        maxspan: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
        optionalKey: fc.boolean(),
      }),
      400,
    );
  });

  it("for random leading, middle and trailing missing terms", () => {
    const stage = fc.record({ category: fc.constantFrom("a", "b", "m"), missing: fc.boolean() });
    check(
      fc.record({
        stages: fc.array(stage, { minLength: 2, maxLength: 5 }).filter((stages) => stages.some((s) => !s.missing)),
        until: fc.constant(null),
        maxspan: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
        optionalKey: fc.boolean(),
      }),
      400,
    );
  });

  it("on long inputs, where many results wait on trailing missing events", () => {
    check(
      fc.record({
        stages: fc.constant([
          { category: "a", missing: false },
          { category: "b", missing: false },
          { category: "m", missing: true },
        ]),
        until: fc.constant(null),
        maxspan: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }),
        optionalKey: fc.constant(true),
      }),
      6,
      eventsOf(3000, 3000, 2000),
    );
  });
});
