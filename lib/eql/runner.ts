/**
 * Compiles a query once and runs it over events, streaming.
 *
 * `compile` checks what the parser leaves to semantics (pipes, sequence
 * shape, join keys) and turns every filter and key into closures, once.
 * `createRunner` gives a runner the caller feeds with events already in
 * Elasticsearch order (see event-order.ts); results come out as soon as they
 * are certain, and `finish()` flushes what only the end of input decides
 * (tails, samples, sequences waiting on a trailing missing event).
 * `run` does all of it for an in-memory list.
 */
import type { Query } from "./ast";
import { type CompileContext, compileFilter, type Predicate } from "./compile-expr";
import { EqlError } from "./errors";
import { sortEvents } from "./event-order";
import { parse } from "./parser";
import { compilePipes, type LimitPipe, Pipeline } from "./pipes";
import { compileSample, createSampleMatcher, type SamplePlan } from "./sample";
import { compileSequence, createSequenceMatcher, type SequencePlan } from "./sequence";
import type { EqlEvent, EqlOptions, EqlResult, EqlRunner } from "./types";
import { nullUnmappedOptionalFields } from "./unmapped-optional-fields";

const DEFAULT_EVENT_CATEGORY_FIELD = "event.category";

/** What a query does per event, before its pipes. */
export type QueryPlan =
  | { kind: "event"; filter: Predicate }
  | { kind: "sequence"; sequence: SequencePlan }
  | { kind: "sample"; sample: SamplePlan };

export interface CompiledQuery {
  query: Query;
  options: EqlOptions;
  /** The compiled filters and keys; built once, shared by every runner. */
  readonly plan: QueryPlan;
  readonly pipes: readonly LimitPipe[];
}

/** The matching stage of a runner: events in, results (in result order) out. */
export interface Matcher {
  push(event: EqlEvent): EqlResult[];
  finish(): EqlResult[];
  /** Partial sequences or sample keys held; absent for event queries, which hold nothing. */
  held?(): number;
}

function checkOptions(options: EqlOptions): void {
  const { size, maxSamplesPerKey } = options;
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
    throw new EqlError("invalid", `option size must be a non-negative whole number, not ${String(size)}`, null);
  }
  if (maxSamplesPerKey !== undefined && !(Number.isSafeInteger(maxSamplesPerKey) && maxSamplesPerKey >= 1)) {
    throw new EqlError(
      "invalid",
      `option maxSamplesPerKey must be a whole number of at least 1, not ${String(maxSamplesPerKey)}`,
      null,
    );
  }
}

export function compile(query: Query | string, options: EqlOptions = {}): CompiledQuery {
  checkOptions(options);
  const parsed = typeof query === "string" ? parse(query) : query;
  const ast = nullUnmappedOptionalFields(parsed, options.fieldTypes);
  const ctx: CompileContext = {
    eventCategoryField: options.eventCategoryField ?? DEFAULT_EVENT_CATEGORY_FIELD,
    caseInsensitive: options.caseInsensitive ?? false,
    ...(options.fieldTypes ? { fieldTypes: options.fieldTypes } : {}),
  };
  // Pipes first: their errors sit at the end of the text but need no other analysis.
  const pipes = compilePipes(ast.pipes);
  let plan: QueryPlan;
  switch (ast.kind) {
    case "event":
      plan = { kind: "event", filter: compileFilter(ast.filter, ctx) };
      break;
    case "sequence":
      plan = { kind: "sequence", sequence: compileSequence(ast, ctx, options) };
      break;
    case "sample":
      plan = { kind: "sample", sample: compileSample(ast, ctx, options.maxSamplesPerKey) };
      break;
  }
  return { query: parsed, options, plan, pipes };
}

const NOTHING: EqlResult[] = [];

function createEventMatcher(filter: Predicate): Matcher {
  return {
    push: (event) => (filter(event) ? [{ kind: "event", event }] : NOTHING),
    finish: () => NOTHING,
  };
}

function createMatcher(plan: QueryPlan): Matcher {
  switch (plan.kind) {
    case "event":
      return createEventMatcher(plan.filter);
    case "sequence": {
      const matcher = createSequenceMatcher(plan.sequence);
      return { push: matcher.push, finish: matcher.finish, held: matcher.pendingCount };
    }
    case "sample": {
      const matcher = createSampleMatcher(plan.sample);
      return { push: matcher.push, finish: matcher.finish, held: matcher.keyCount };
    }
  }
}

/**
 * A streaming runner. Events must be pushed in order (timestamp, tiebreaker,
 * then arrival); each runner holds its own state, so one compiled query can
 * serve many runs. After `finish()` the runner is spent: pushing throws.
 */
export function createRunner(compiled: CompiledQuery): EqlRunner {
  const matcher = createMatcher(compiled.plan);
  const pipeline = new Pipeline(compiled.pipes, compiled.options.size);
  let finished = false;

  const push = (event: EqlEvent): EqlResult[] => {
    if (finished) throw new Error("EQL runner: push after finish()");
    // A full head makes further matching pointless; skipping it keeps `| head` cheap on big inputs.
    if (pipeline.closed) return NOTHING;
    const matched = matcher.push(event);
    return matched.length === 0 ? NOTHING : pipeline.push(matched);
  };

  return {
    push,
    pushAll(events) {
      const output: EqlResult[] = [];
      for (const event of events) {
        if (pipeline.closed) break;
        for (const result of push(event)) output.push(result);
      }
      return output;
    },
    held: () => matcher.held?.() ?? 0,
    finish() {
      if (finished) throw new Error("EQL runner: finish() called twice");
      finished = true;
      const output = pipeline.closed ? NOTHING : pipeline.push(matcher.finish());
      return [...output, ...pipeline.finish()];
    },
  };
}

/**
 * Events in the order a query wants them: Elasticsearch order (see
 * event-order.ts) for event queries and sequences, and as given for samples,
 * which Elasticsearch fills in index order, whatever the timestamps.
 */
export function orderEventsFor(compiled: CompiledQuery, events: readonly EqlEvent[]): readonly EqlEvent[] {
  return compiled.plan.kind === "sample" ? events : sortEvents(events, compiled.options);
}

/**
 * Run a query over a list of events in any order; they are sorted first,
 * except for samples, which take them as given (the input is not changed).
 */
export function run(query: Query | string, events: readonly EqlEvent[], options: EqlOptions = {}): EqlResult[] {
  const compiled = compile(query, options);
  const runner = createRunner(compiled);
  const results = runner.pushAll(orderEventsFor(compiled, events));
  for (const result of runner.finish()) results.push(result);
  // The runner already stops at `size`; slicing again keeps that promise explicit.
  return options.size === undefined ? results : results.slice(0, options.size);
}
