import { scanStoredEvents } from "@/lib/db/events";
import { storedFieldTypes } from "@/lib/db/field-mapping";
import {
  compile,
  compilePrefilter,
  createRunner,
  type EqlEvent,
  type EqlResult,
  type FieldTypes,
  isMissingEvent,
} from "@/lib/eql";
import { Histogram, type HistogramBucket } from "./histogram";
import { type HuntLimits, huntLimits } from "./limits";
import { type HuntScope, huntWhere } from "./request";

/**
 * Runs a hunt: an EQL query over stored events, with the engine and semantics
 * of the rules (lib/eql compile + createRunner, as rule previews do). Events
 * come from the event store in time order, filtered by range and scope before
 * their documents are unpacked. Only the requested page of results is kept.
 *
 * Counting every result means reading the whole range, which for a month of
 * events takes many seconds; the page does not need it. So a page can be asked
 * for alone (`count: false`): the scan stops as soon as the page is full and
 * one more result shows there is a next page. The runner emits results in the
 * same order whether or not the scan goes on, so that page is exactly the one
 * a full scan would give. countHunt reads the whole range for the count and
 * histogram, keeping no results. Either stops early when the caller aborts,
 * or at one of its limits (time, events read, state held), and says which.
 */

/** One event of a result: its stored id (null for a missing event `![…]` of a sequence) and document. */
export interface HuntEvent {
  id: number | null;
  event: EqlEvent | null;
}

export interface HuntRow {
  kind: EqlResult["kind"];
  /** The time the result is placed at: its event, a sequence's last event, a sample's first. */
  timestamp: string | null;
  joinKeys?: unknown[];
  events: HuntEvent[];
}

export type HuntStopReason = "time" | "events" | "held" | "cancelled";

export interface HuntStop {
  reason: HuntStopReason;
  message: string;
}

/** Every result of a hunt counted, and placed on the histogram. */
export interface HuntCount extends Omit<HuntScanSummary, "endedAtMaxResults"> {
  /** Results found: all of them in the range, or those found before a limit stopped the scan. */
  matches: number;
  bucketMs: number;
  histogram: HistogramBucket[];
}

export interface HuntOutcome extends HuntCount {
  /**
   * True when matches and histogram cover the whole range (or the scan up to the limit that stopped it).
   * False when the page was asked for alone and the scan ended once it was full: matches then counts the
   * results found so far and the histogram is empty; countHunt (POST /api/hunt/summary) counts them all.
   */
  counted: boolean;
  /** The page asked for: results offset .. offset + limit - 1. */
  rows: HuntRow[];
  /** The offset of the next page, or null when this page is the last. */
  nextOffset: number | null;
}

export interface HuntScanOptions {
  range: { from: Date; to: Date };
  /** How fields compare; by default the ECS types with the stored field mapping (Settings) over them. */
  fieldTypes?: FieldTypes;
  signal?: AbortSignal;
  limits?: HuntLimits;
  /** End the scan once this many results are found (the results so far stay exact: the runner's order). */
  maxResults?: number;
  /** Results per yielded batch (default 500). */
  batchSize?: number;
}

export interface HuntOptions extends Omit<HuntScanOptions, "maxResults" | "batchSize"> {
  offset?: number;
  limit?: number;
  /** false: answer the page as soon as it is full, without counting every result (default true). */
  count?: boolean;
}

/** How a scan ended: what it read, and why it stopped early (null when it read the whole range). */
export interface HuntScanSummary {
  kind: "event" | "sequence" | "sample";
  eventsScanned: number;
  elapsedMs: number;
  stopped: HuntStop | null;
  unreadable: number;
  /** The scan ended at maxResults, before the end of the range. */
  endedAtMaxResults: boolean;
}

const CHECK_EVERY = 256;
const BATCH = 500;

/**
 * The hunt's results in order, in batches, as the scan finds them; returns the
 * summary. Compiles the query first, so an EqlError is thrown before anything
 * is read. Holding one batch, the scan's page and the runner's state (bounded
 * by limits.maxHeld), its memory does not grow with the range.
 */
export async function* huntResults(
  scope: HuntScope,
  options: HuntScanOptions,
): AsyncGenerator<HuntRow[], HuntScanSummary, undefined> {
  const eqlOptions = {
    eventCategoryField: scope.eventCategoryField,
    timestampField: scope.timestampField,
    ...(scope.tiebreakerField ? { tiebreakerField: scope.tiebreakerField } : {}),
    fieldTypes: options.fieldTypes ?? (await storedFieldTypes()),
  };
  const compiled = compile(scope.query, eqlOptions);
  const runner = createRunner(compiled);
  // A document lacking every literal the query needs cannot match (nor matter to a sequence): skip parsing it.
  const prefilter = compilePrefilter(compiled.query, eqlOptions);
  const limits = options.limits ?? huntLimits();
  const batchSize = options.batchSize ?? BATCH;
  const maxResults = options.maxResults ?? Number.POSITIVE_INFINITY;
  const stored = new WeakMap<object, { id: number; time: number }>();
  let batch: HuntRow[] = [];
  let found = 0;
  let eventsScanned = 0;
  let unreadable = 0;
  let stoppedBy: HuntStopReason | null = null;
  let endedAtMaxResults = false;
  const started = performance.now();
  const collect = (results: EqlResult[]) => {
    for (const result of results) batch.push(toRow(result, stored));
    found += results.length;
  };

  const scan = scanStoredEvents({
    where: huntWhere(scope, options.range),
    onUnreadable: () => {
      unreadable++;
    },
  });
  for await (const row of scan) {
    if (eventsScanned >= limits.maxEvents) {
      stoppedBy = "events";
      break;
    }
    if (eventsScanned % CHECK_EVERY === 0) {
      stoppedBy = checkLimits(runner.held(), performance.now() - started, limits, options.signal);
      if (stoppedBy) break;
      // Let other requests (ingest, other analysts) in between slices of work.
      if (eventsScanned % (CHECK_EVERY * 8) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    eventsScanned++;
    if (prefilter && !prefilter.mayMatch(row.text)) continue;
    const event = JSON.parse(row.text) as EqlEvent;
    stored.set(event, { id: row.id, time: row.timestamp.getTime() });
    collect(runner.push(event));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
    if (found >= maxResults) {
      endedAtMaxResults = true;
      break;
    }
  }
  // Results found so far still count when a limit stops the hunt; a cancelled hunt has no one to answer; a
  // scan ended at maxResults has all it needs (finish would add results after them, or pipes' results that
  // need the whole range, which then never reach maxResults before the end).
  if (stoppedBy !== "cancelled" && !endedAtMaxResults) collect(runner.finish());
  for (let start = 0; start < batch.length; start += batchSize) yield batch.slice(start, start + batchSize);
  const elapsedMs = Math.round(performance.now() - started);
  return {
    kind: compiled.plan.kind,
    eventsScanned,
    elapsedMs,
    stopped: stoppedBy && { reason: stoppedBy, message: stopMessage(stoppedBy, eventsScanned, elapsedMs, limits) },
    unreadable,
    endedAtMaxResults,
  };
}

/**
 * One page of a hunt. With `count` (the default), every result is counted and
 * placed on the histogram; without, the scan ends once the page is full and
 * one result more is found.
 */
export async function runHunt(scope: HuntScope, options: HuntOptions): Promise<HuntOutcome> {
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 100;
  const count = options.count ?? true;
  const { offset: _offset, limit: _limit, count: _count, ...scan } = options;
  // One result past the page says whether there is a next page.
  const wanted = offset + limit + 1;
  const histogram = new Histogram(options.range.from, options.range.to);
  const rows: HuntRow[] = [];
  let matches = 0;
  const results = huntResults(
    scope,
    count ? scan : { ...scan, maxResults: wanted, batchSize: Math.min(BATCH, wanted) },
  );
  let next = await results.next();
  while (!next.done) {
    for (const row of next.value) {
      if (row.timestamp) histogram.add(Date.parse(row.timestamp));
      if (matches >= offset && rows.length < limit) rows.push(row);
      matches++;
    }
    next = await results.next();
  }
  const { endedAtMaxResults, ...summary } = next.value;
  const counted = !endedAtMaxResults;
  return {
    ...summary,
    matches,
    counted,
    rows,
    nextOffset: matches > offset + rows.length ? offset + rows.length : null,
    bucketMs: histogram.bucketMs,
    histogram: counted ? histogram.buckets() : [],
  };
}

/** Every result of a hunt counted and placed on the histogram, none kept: the second half of a page-first hunt. */
export async function countHunt(scope: HuntScope, options: HuntScanOptions): Promise<HuntCount> {
  const histogram = new Histogram(options.range.from, options.range.to);
  let matches = 0;
  const results = huntResults(scope, options);
  let next = await results.next();
  while (!next.done) {
    for (const row of next.value) if (row.timestamp) histogram.add(Date.parse(row.timestamp));
    matches += next.value.length;
    next = await results.next();
  }
  const { endedAtMaxResults: _never, ...summary } = next.value;
  return { ...summary, matches, bucketMs: histogram.bucketMs, histogram: histogram.buckets() };
}

function checkLimits(
  held: number,
  elapsedMs: number,
  limits: HuntLimits,
  signal: AbortSignal | undefined,
): HuntStopReason | null {
  if (signal?.aborted) return "cancelled";
  if (elapsedMs >= limits.timeMs) return "time";
  if (held >= limits.maxHeld) return "held";
  return null;
}

/** The analyst's message: what stopped the hunt, after how much, and what to do. */
export function stopMessage(reason: HuntStopReason, scanned: number, elapsedMs: number, limits: HuntLimits): string {
  if (reason === "cancelled") return `The hunt was cancelled after scanning ${scanned.toLocaleString("en-US")} events.`;
  const seconds = (elapsedMs / 1000).toFixed(1);
  const after = `The hunt stopped after scanning ${scanned.toLocaleString("en-US")} events in ${seconds} s`;
  const why =
    reason === "time"
      ? `its time limit of ${limits.timeMs / 1000} s`
      : reason === "events"
        ? `its limit of ${limits.maxEvents.toLocaleString("en-US")} events scanned`
        : `its limit of ${limits.maxHeld.toLocaleString("en-US")} partial sequences or sample keys held in memory`;
  return `${after} (${why}); narrow the time range or scope. The results shown are those found so far.`;
}

function toRow(result: EqlResult, stored: WeakMap<object, { id: number; time: number }>): HuntRow {
  const matched = result.kind === "event" ? [result.event] : result.events;
  const events = matched.map(
    (event): HuntEvent =>
      isMissingEvent(event) ? { id: null, event: null } : { id: stored.get(event)?.id ?? null, event },
  );
  const present = matched.filter((event) => !isMissingEvent(event));
  const placedOn = result.kind === "sequence" ? present.at(-1) : present[0];
  const time = placedOn ? stored.get(placedOn)?.time : undefined;
  return {
    kind: result.kind,
    timestamp: time === undefined ? null : new Date(time).toISOString(),
    ...(result.kind === "event" ? {} : { joinKeys: result.joinKeys }),
    events,
  };
}
