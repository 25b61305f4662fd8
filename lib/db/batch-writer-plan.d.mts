import type { AlertDraft } from "./alerts";
import type { SourceDelta, UploadProgress } from "./batch-writer";

/** A triggering event as a draft names it. */
export type DraftEvent = AlertDraft["events"][number];

/** Each step planAlerts asks the writer to run, by the storage method that runs it. */
export interface AlertSteps {
  /** the id of group `key`'s newest alert raised at or before `at` whose window (suppressionEndsAt) holds `at` */
  findGroupAlertAt: { key: string; at: Date };
  /** the id of group `key`'s alert without a window raised by this batch's upload */
  findGroupAlertOfUpload: { key: string };
  /** adds one repeat to the kept alert's suppressed count */
  foldIntoAlert: { alertId: string };
  /** inserts the draft's alert (with its suppression group, if any); its new id, or undefined if its dedup key is stored */
  insertAlert: { draft: AlertDraft };
  /** the id of the stored event with this timestamp and content hash, if there is one */
  findStoredEvent: { event: DraftEvent };
  /** links the alert to its triggering event at `position` */
  linkEvent: { alertId: string; position: number; eventId: number };
}

/** What each step answers. */
export interface AlertAnswers {
  findGroupAlertAt: string | undefined;
  findGroupAlertOfUpload: string | undefined;
  foldIntoAlert: undefined;
  insertAlert: string | undefined;
  findStoredEvent: number | undefined;
  linkEvent: undefined;
}

export type AlertStep = { [Kind in keyof AlertSteps]: { kind: Kind } & AlertSteps[Kind] }[keyof AlertSteps];

export type AlertStorage = { [Kind in keyof AlertSteps]: (step: AlertSteps[Kind]) => AlertAnswers[Kind] };
export type AsyncAlertStorage = {
  [Kind in keyof AlertSteps]: (step: AlertSteps[Kind]) => Promise<AlertAnswers[Kind]> | AlertAnswers[Kind];
};

export interface AlertDecisions {
  /** dedup keys of the alerts created, and of the matches folded into a kept alert (read them with alertOutcome) */
  createdAlerts: string[];
  /** alerts created, the folded matches left out */
  alertsCreated: number;
}

export type AlertPlan = Generator<AlertStep, AlertDecisions, AlertAnswers[keyof AlertAnswers]>;

export declare function planAlerts(drafts: readonly AlertDraft[], eventIds: ReadonlyMap<string, number>): AlertPlan;
export declare function runAlertPlan(plan: AlertPlan, storage: AlertStorage): AlertDecisions;
export declare function runAlertPlanAsync(plan: AlertPlan, storage: AsyncAlertStorage): Promise<AlertDecisions>;

export declare function alertContextValues(draft: AlertDraft, uploadId: string): (string | null)[];

export type AlertOutcome = "created" | "suppressed" | "duplicate";
export declare function alertOutcome(createdAlerts: ReadonlySet<string>, dedupKey: string): AlertOutcome;

/** What a batch stored, as the counters need it. */
export interface BatchCounts {
  inserted: number;
  duplicates: number;
  alertsCreated: number;
}

export interface UploadProgressUpdate {
  /** true: every figure is added to the row's; false: bytes, received, rejected and format are set */
  additive: boolean;
  bytes: number;
  received: number;
  rejected: number;
  format: string;
  /** added to eventsAccepted */
  accepted: number;
  /** added to eventsDuplicate */
  duplicate: number;
  /** added to alertsCreated (additive only) */
  alerts: number;
}
export declare function uploadProgressUpdate(progress: UploadProgress, counts: BatchCounts): UploadProgressUpdate;

/** The Source row's fields the update reads. */
export interface SourceRow {
  lastSeenAt: Date | null;
  meanGapSeconds: number | null;
  /** JSON array of format names */
  formats: string;
  /** JSON array of the latest errors, newest first */
  latestErrors: string;
}

export interface SourceActivityUpdate {
  tokenId: string;
  /** added to the Source row's counters and to the minute's activity */
  pushes: number;
  events: number;
  rejected: number;
  alerts: number;
  /** the row's lastSeenAt, and its firstSeenAt if it has none */
  seenAt: Date | null;
  meanGapSeconds: number | null;
  formats: string;
  latestErrors: string;
  /** the activity row these counts add to */
  minute: Date;
  /** the source's activity rows before this minute are deleted */
  pruneBefore: Date;
}
export declare function sourceActivityUpdate(
  source: SourceDelta,
  current: SourceRow,
  counts: BatchCounts,
): SourceActivityUpdate;

export declare const KEPT_SOURCE_ERRORS: number;
