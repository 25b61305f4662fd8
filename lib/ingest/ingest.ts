import type { AlertDraft } from "../db/alerts";
import { alertOutcome, type SourceDelta, StagedRows, type StoredBatch, storeBatch } from "../db/batch-writer";
import { findEventsBetween } from "../db/events";
import { loadActiveExceptions } from "../db/exceptions";
import { storedFieldTypes } from "../db/field-mapping";
import { findStoredProcesses } from "../db/processes";
import { listEnabledDetectionRules } from "../db/rules";
import { holdLease } from "../db/upload-leases";
import { createUpload, type UploadReport } from "../db/uploads";
import { alertDraft, type MatchedEvent } from "../detection/alert-draft";
import { type Detection, type DetectionRule, Detector } from "../detection/detector";
import { AncestryTracker } from "../enrich/ancestry";
import type { FieldTypes } from "../eql";
import { isCanonicalJson } from "../events/canonical-json";
import type { EventFormat } from "../events/formats/types";
import { normalizeEvents, type StreamFormat } from "../events/normalize";
import { readEvents } from "../events/read-events";
import { type ActiveExceptions, type CompiledExceptions, compileExceptions } from "../exceptions";
import { countBytes } from "./byte-limit";
import { contentHash } from "./content-hash";
import { enrichedDocument, eventTime, toEventRow } from "./event-row";
import { recordUploadReport } from "./record-report";

export const DEFAULT_BATCH_SIZE = 2_000;
/**
 * Events are enriched, checked against the rules and turned into rows this
 * many at a time; each chunk's rows go ahead to the writer thread (StagedRows)
 * and a batch is stored once it holds DEFAULT_BATCH_SIZE rows. A chunk is
 * small so that its parsed events die before V8's second young-generation
 * collection, which would copy them into the old generation: a chunk of 250
 * (about 5.5 MB of allocation against 8 MB semi-spaces) promoted 2.6 GB over
 * 2 x 200,000 events in-process, a chunk of 50 promoted 0.15-0.18 GB, and
 * young-collection pauses fell from 4.9 to 1.2-1.3 s (bench/RESULTS.md,
 * notes of 2026-12-06).
 */
const DETECTION_CHUNK = 50;
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const MAX_KEPT_ERRORS = 1_000;
/** At most this many stored events are replayed to sequence rules, to bound memory. */
const MAX_REPLAYED_EVENTS = 20_000;
const REMEMBERED_PROCESSES = 50_000;

export interface IngestOptions {
  fileName: string;
  format: EventFormat | "auto";
  createdById: string | null;
  /** the API token that sent the events (a sensor), null for people */
  apiTokenId?: string | null;
  maxBytes?: number;
  batchSize?: number;
  /** Rules to run; by default the enabled rules in the database. */
  rules?: DetectionRule[];
  /** False-positive exceptions; by default the active ones stored for those rules. */
  exceptions?: ActiveExceptions;
  /** How fields compare; by default the ECS types with the stored field mapping (Settings) over them. */
  fieldTypes?: FieldTypes;
}

type Json = Record<string, unknown>;

/**
 * Which stored event an event object is, kept on the object itself under a
 * symbol (JSON.stringify and key walks skip symbols). Not in a WeakMap: V8's
 * young-generation collections kept the WeakMap's values alive (its weak
 * semantics are applied by full collections), and each value refers to its
 * event, so every event (its parsed object and its 2.3 KB line) was copied
 * into the old generation. On the object, an event dies young with its
 * identity. 20,000 events in-process: young-collection pauses 1,115 -> 582 ms,
 * median promoted per collection 3.3 -> 1.2 MB (bench/RESULTS.md, notes of
 * 2026-11-24).
 */
const IDENTITY = Symbol("keelwatch.ingest.identity");

type IdentifiedEvent = Json & { [IDENTITY]?: PendingEvent };

function identify(event: Json, pending: PendingEvent): void {
  (event as IdentifiedEvent)[IDENTITY] = pending;
}

function identityOf(event: Json): PendingEvent | undefined {
  return (event as IdentifiedEvent)[IDENTITY];
}

interface PendingEvent {
  event: Json;
  line: number;
  hash: string;
  timestamp: Date;
  /** the event's JSON as read, before enrichment (what the hash is of) */
  json: string;
}

/**
 * Reads an events file as a stream, normalises every event to ECS, rebuilds
 * process ancestry, runs the rules, and stores events and alerts one batch
 * per transaction. Memory holds one batch plus rule state, whatever the file
 * size. Bad lines are reported and skipped; nothing good is lost.
 */
export async function ingestEvents(input: AsyncIterable<Uint8Array>, options: IngestOptions): Promise<UploadReport> {
  const rules = options.rules ?? (await listEnabledDetectionRules());
  const uploadId = await createUpload({
    fileName: options.fileName,
    format: options.format,
    createdById: options.createdById,
    apiTokenId: options.apiTokenId ?? null,
  });
  // The row stays this instance's while it receives: others mark it interrupted only once the lease lapses.
  const releaseLease = holdLease(uploadId);
  try {
    return await ingestInto(uploadId, rules, input, options);
  } finally {
    releaseLease();
  }
}

async function ingestInto(
  uploadId: string,
  rules: DetectionRule[],
  input: AsyncIterable<Uint8Array>,
  options: IngestOptions,
): Promise<UploadReport> {
  const counter = { bytes: 0 };
  const exceptions = compileExceptions(
    options.exceptions ??
      (await loadActiveExceptions(
        rules.map((rule) => rule.id),
        new Date(),
      )),
  );
  // Fields compare by their ECS types, and by the admin's Elasticsearch mapping (Settings) where it names them.
  const fieldTypes = options.fieldTypes ?? (await storedFieldTypes());
  const run = new IngestRun(uploadId, options, new Detector(rules, { fieldTypes }), exceptions, counter);
  try {
    const limit = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    // The limit holds for the bytes sent and again for the bytes they decompress to.
    const raw = readEvents(countBytes(input, limit, counter), { maxBodyBytes: limit });
    for await (const item of normalizeEvents(raw, options.format, (format) => run.setFormat(format))) {
      if ("error" in item) {
        if (item.notEvent) run.notice(item.line, item.error, item.notEvent.count);
        else run.reject(item.line, item.error);
      } else await run.accept(item.line, item.event, item.text);
    }
    await run.finish();
  } catch (error) {
    // Whole batches stored so far stay (each was one transaction), the one in flight included if it
    // commits; the report counts them. The caller gets the upload's own error.
    await run.settle().catch(() => undefined);
    run.discardStaged();
    await recordUploadReport(run.report("failed", error instanceof Error ? error.message : String(error)));
    throw error;
  }
  const report = run.report("done");
  // Every event and alert is stored by now; if the database refuses the row's last update
  // (another process's lock), the caller still gets the true report and the row catches up.
  await recordUploadReport(report);
  return report;
}

/**
 * A source's stream (lib/ingest/stream): a group of pushes stored into the
 * source's one Upload row. Its counters are added to the row's, the Source
 * row's counters are kept in the same transactions, and the observer hears
 * which events each outcome concerns, so each push gets its own report.
 */
export interface StreamTarget {
  tokenId: string;
  /** when the group's pushes arrived (ms since the epoch) */
  at: number;
  pushes: number;
  formats: string[];
  /** a push's own line number for a line of the group */
  pushLine(line: number): number;
  observer: RunObserver;
}

/** What a stream's group hears of its events' fate, by content hash. */
export interface RunObserver {
  /** an event read, by the line it was fed as */
  event(hash: string, line: number): void;
  /**
   * a match's fate: "excepted" when a false-positive exception covers it, "suppressed" when over the
   * rule's cap or folded into a kept alert, "duplicate" when raised before
   */
  alert(
    hashes: readonly string[],
    outcome: "created" | "suppressed" | "excepted" | "duplicate",
    draft: AlertDraft | null,
  ): void;
  duplicates(hashes: readonly string[]): void;
}

/** One run of enrichment, detection and storage over events read from a file or from a group of pushes. */
export class IngestRun {
  private format: StreamFormat | "auto";
  /** Events read and not yet checked: at most one chunk. */
  private chunk: PendingEvent[] = [];
  /** Rows checked and sent ahead to the writer thread, and alerts drafted, for the batch being filled. */
  private staged: StagedRows;
  private drafts: AlertDraft[] = [];
  /** Alerts drafted per rule id for the batch being filled (maxAlertsPerRun holds per batch). */
  private draftsPerRule = new Map<string, number>();
  /**
   * Processes remembered in memory for ancestry. Fewer than offline detection keeps (which has
   * nothing else to ask): here an ancestor that fell out is found again in the events already
   * stored, by an indexed lookup. Two generations of this many entries bound the cache at
   * about 12 MB of heap (measured over the 200,000-event bench file; 20.6 MB with 200,000).
   */
  private readonly tracker = new AncestryTracker(findStoredProcesses, REMEMBERED_PROCESSES);
  private readonly errors: { line: number; message: string }[] = [];
  private errorCount = 0;
  /** lines skipped as not events (notice()) */
  private skipped = 0;
  private received = 0;
  private accepted = 0;
  private duplicate = 0;
  private alertsCreated = 0;
  private alertsSuppressed = 0;
  private alertsSuppressedByException = 0;
  private alertsDuplicate = 0;
  private historyReplayed = false;
  /** The batch being stored (at most one): settles to undefined, or to the error that stored nothing. */
  private storing: Promise<{ error: unknown } | undefined> | undefined;
  /** Alerts created per rule id and alert name (a promotion rule names its alerts after the sensor's rules). */
  private readonly createdByRule = new Map<string, { ruleId: string; ruleName: string; created: number }>();
  /** A stream's figures already added to its row by earlier batches (a stream's progress is added, not set). */
  private readonly sent = { bytes: 0, received: 0, rejected: 0 };

  constructor(
    private readonly uploadId: string,
    private readonly options: Pick<IngestOptions, "fileName" | "format" | "batchSize">,
    private readonly detector: Detector,
    private readonly exceptions: CompiledExceptions,
    private readonly counter: { bytes: number },
    private readonly stream?: StreamTarget,
  ) {
    this.format = options.format;
    this.staged = new StagedRows(stream !== undefined);
  }

  setFormat(format: StreamFormat): void {
    this.format = format;
  }

  /**
   * Lines that are not events but a sensor's bookkeeping (Falco metrics snapshots): listed among the
   * errors so the report says what was skipped and where, but neither received nor rejected, so a
   * push holding only such lines is a success with zero events rather than an unreadable upload.
   */
  notice(line: number, message: string, count: number): void {
    this.skipped += count;
    if (this.errors.length < MAX_KEPT_ERRORS) this.errors.push({ line, message });
  }

  reject(line: number, message: string): void {
    this.received++;
    this.errorCount++;
    if (this.errors.length < MAX_KEPT_ERRORS) this.errors.push({ line, message });
  }

  /** `text`, when given, is the JSON `event` was parsed from. */
  async accept(line: number, event: Json, text?: string): Promise<void> {
    const timestamp = eventTime(event);
    if (!timestamp) {
      this.reject(line, "@timestamp: missing or not a date (ISO-8601 or epoch milliseconds expected)");
      return;
    }
    this.received++;
    // The line as read when it already is the event's JSON.stringify (the usual compact line): same hash, same document.
    const json = text !== undefined && isCanonicalJson(text, event) ? text : JSON.stringify(event);
    const pending = { event, line, hash: contentHash(json), timestamp, json };
    identify(event, pending);
    this.stream?.observer.event(pending.hash, line);
    this.chunk.push(pending);
    if (this.chunk.length >= Math.min(DETECTION_CHUNK, this.batchSize)) await this.check([]);
  }

  async finish(): Promise<void> {
    await this.check([]);
    // Sequences that only the end of input completes; they may refer to events stored already.
    await this.check(this.detector.finish());
    await this.store(true);
    await this.settle();
  }

  private get batchSize(): number {
    return this.options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** Enriches the chunk read so far, runs the rules over it and turns it into rows; stores a full batch. */
  private async check(extraDetections: Detection[]): Promise<void> {
    const batch = this.chunk;
    this.chunk = [];
    if (batch.length === 0 && extraDetections.length === 0) return;
    const events = batch.map((pending) => pending.event);
    const hadKeelwatch = events.map((event) => event.keelwatch !== undefined);
    await this.tracker.enrich(events);
    // Stored as enriched, keyed by the hash of the event as it was read.
    const rows = batch.map((pending, index) =>
      toEventRow(
        pending.event,
        pending.line,
        pending.hash,
        pending.timestamp,
        enrichedDocument(pending.json, pending.event, hadKeelwatch[index]!),
      ),
    );
    if (!this.historyReplayed && batch.length > 0) await this.replayHistory(batch);
    const detections = [...this.detector.detect(events), ...extraDetections];
    this.staged.add(rows);
    for (const draft of this.capPerRule(detections.flatMap((detection) => this.draft(detection)))) {
      this.drafts.push(draft);
    }
    if (this.staged.rows >= this.batchSize) await this.store();
  }

  /**
   * Sends the rows and alerts checked so far to be stored, as one transaction.
   * A stream's last batch is sent even when empty: it records the pushes (and
   * their rejected lines) in the Source row.
   */
  private async store(last = false): Promise<void> {
    if (this.staged.rows === 0 && this.drafts.length === 0 && !(last && this.stream)) return;
    // The previous batch was being stored while this one was read and checked. One batch in
    // flight at a time bounds memory, and its failure stops the upload here (this batch stays
    // in this.staged, which the upload's failure path discards).
    await this.settle();
    const staged = this.staged;
    const drafts = this.drafts;
    this.staged = new StagedRows(this.stream !== undefined);
    this.drafts = [];
    this.draftsPerRule = new Map();
    const progress = this.stream
      ? {
          bytes: this.counter.bytes - this.sent.bytes,
          received: this.received - this.sent.received,
          rejected: this.errorCount - this.sent.rejected,
          format: this.format,
          additive: true,
        }
      : { bytes: this.counter.bytes, received: this.received, rejected: this.errorCount, format: this.format };
    if (this.stream)
      Object.assign(this.sent, { bytes: this.counter.bytes, received: this.received, rejected: this.errorCount });
    const source = last && this.stream ? this.sourceDelta(this.stream) : undefined;
    this.storing = storeBatch(this.uploadId, [], drafts, { progress, staged, source }).then(
      (stored) => {
        this.count(stored, drafts);
        return undefined;
      },
      (error: unknown) => {
        staged.discard();
        return { error };
      },
    );
  }

  /** What the group's pushes held, for the Source row (its events and alerts the batches count themselves). */
  private sourceDelta(stream: StreamTarget): SourceDelta {
    const at = new Date(stream.at).toISOString();
    return {
      tokenId: stream.tokenId,
      at: stream.at,
      pushes: stream.pushes,
      rejected: this.errorCount,
      formats: stream.formats,
      errors: this.errors
        .slice(-20)
        .map((error) => ({ at, line: stream.pushLine(error.line), message: error.message })),
    };
  }

  /** Frees the rows sent ahead for a batch that will not be stored (the upload failed). */
  discardStaged(): void {
    this.staged.discard();
  }

  /** Waits for the batch being stored, and throws its error. */
  async settle(): Promise<void> {
    const outcome = await this.storing;
    this.storing = undefined;
    if (outcome) throw outcome.error;
  }

  private count(stored: StoredBatch, drafts: AlertDraft[]): void {
    this.accepted += stored.inserted + stored.duplicates;
    this.duplicate += stored.duplicates;
    const observer = this.stream?.observer;
    if (observer && stored.duplicateHashes.length > 0) observer.duplicates(stored.duplicateHashes);
    for (const draft of drafts) {
      const outcome = alertOutcome(stored.createdAlerts, draft.dedupKey);
      observer?.alert(
        draft.events.map((event) => event.contentHash),
        outcome,
        draft,
      );
      if (outcome === "created") {
        this.alertsCreated++;
        // Per alert name: a promotion rule's alerts are named after each sensor rule.
        const key = `${draft.ruleId}\n${draft.ruleName}`;
        const entry = this.createdByRule.get(key) ?? { ruleId: draft.ruleId, ruleName: draft.ruleName, created: 0 };
        entry.created++;
        this.createdByRule.set(key, entry);
      } else if (outcome === "suppressed") {
        // Folded into the kept alert of its suppression group (the rule's alert_suppression).
        this.alertsSuppressed++;
      } else {
        this.alertsDuplicate++;
      }
    }
  }

  /**
   * Before the first batch, sequence rules see the stored events within their
   * lookback, so a sequence begun in an earlier upload completes in this one.
   */
  private async replayHistory(batch: PendingEvent[]): Promise<void> {
    this.historyReplayed = true;
    const needs = this.detector.historyNeeds();
    if (needs.length === 0) return;
    const first = Math.min(...batch.map((pending) => pending.timestamp.getTime()));
    const longest = Math.max(...needs.map((need) => need.millis));
    const rows = await findEventsBetween(new Date(first - longest), new Date(first), MAX_REPLAYED_EVENTS);
    const history = rows.map((row) => {
      const event = JSON.parse(row.document) as Json;
      // Registered so alerts can name stored events: they are found again by content hash.
      identify(event, { event, line: 0, hash: row.contentHash, timestamp: row.timestamp, json: row.document });
      return { event, time: row.timestamp.getTime() };
    });
    for (const need of needs) {
      const since = first - need.millis;
      this.detector.replay(
        need.rule.id,
        history.filter((entry) => entry.time >= since).map((entry) => entry.event),
      );
    }
  }

  private draft(detection: Detection): AlertDraft[] {
    const matched: MatchedEvent[] = [];
    for (const event of detection.events) {
      const pending = identityOf(event);
      if (!pending) return [];
      matched.push({ event: pending.event, contentHash: pending.hash, timestamp: pending.timestamp });
    }
    // An active exception covering any triggering event means no alert (as Elastic filters a sequence's events).
    if (this.exceptions.countFor(detection.rule.id) > 0) {
      const covered = matched.some((entry) => this.exceptions.match(detection.rule.id, entry.event) !== null);
      if (covered) {
        this.alertsSuppressed++;
        this.alertsSuppressedByException++;
        this.stream?.observer.alert(
          matched.map((entry) => entry.contentHash),
          "excepted",
          null,
        );
        return [];
      }
    }
    return [alertDraft(detection.rule, matched)];
  }

  /** A rule raises at most `maxAlertsPerRun` alerts per batch; the rest are counted as suppressed. */
  private capPerRule(drafts: AlertDraft[]): AlertDraft[] {
    const limits = new Map(this.detector.rules.map((rule) => [rule.id, rule.maxAlertsPerRun]));
    const counts = this.draftsPerRule;
    return drafts.filter((draft) => {
      const count = (counts.get(draft.ruleId) ?? 0) + 1;
      counts.set(draft.ruleId, count);
      if (count <= (limits.get(draft.ruleId) ?? Number.POSITIVE_INFINITY)) return true;
      this.alertsSuppressed++;
      this.stream?.observer.alert(
        draft.events.map((event) => event.contentHash),
        "suppressed",
        null,
      );
      return false;
    });
  }

  /** Lines counted so far: a stream's group reads them before and after each push. */
  tally(): { received: number; rejected: number; skipped: number; errorsKept: number } {
    return {
      received: this.received,
      rejected: this.errorCount,
      skipped: this.skipped,
      errorsKept: this.errors.length,
    };
  }

  /** Kept errors from index `from` on, in the order they were found. */
  errorsFrom(from: number): { line: number; message: string }[] {
    return this.errors.slice(from);
  }

  report(status: "done" | "failed", failure?: string): UploadReport {
    return {
      uploadId: this.uploadId,
      fileName: this.options.fileName,
      format: this.format,
      status,
      bytes: this.counter.bytes,
      events: {
        received: this.received,
        accepted: this.accepted,
        rejected: this.errorCount,
        duplicate: this.duplicate,
        // Only when there were such lines: most streams have none, and reports keep their shape.
        ...(this.skipped > 0 ? { skipped: this.skipped } : {}),
      },
      // Format detection holds the first events back, so their errors may arrive after later lines'.
      errors: [...this.errors].sort((a, b) => a.line - b.line),
      errorCount: this.errorCount,
      alerts: {
        created: this.alertsCreated,
        suppressed: this.alertsSuppressed,
        suppressedByException: this.alertsSuppressedByException,
        duplicate: this.alertsDuplicate,
        byRule: Object.fromEntries([...this.createdByRule.values()].map((rule) => [rule.ruleName, rule.created])),
        rules: [...this.createdByRule.values()].map((rule) => ({ ...rule })),
      },
      ...(failure ? { failure } : {}),
    };
  }
}
