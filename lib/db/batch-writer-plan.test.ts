import { describe, expect, it } from "vitest";
import { alertDraftFixture } from "./alert-test-fixtures";
import type { AlertDraft } from "./alerts";
import {
  type AlertAnswers,
  type AlertStep,
  type AlertStorage,
  type AsyncAlertStorage,
  alertOutcome,
  KEPT_SOURCE_ERRORS,
  planAlerts,
  runAlertPlan,
  runAlertPlanAsync,
  sourceActivityUpdate,
  uploadProgressUpdate,
} from "./batch-writer-plan.mjs";

/**
 * The decisions both batch writers share (batch-writer-plan.mjs), without a database: each writer's own tests
 * (batch-writer.test.ts, dialect/postgresql/batch-writer.test.ts) show the statements carry them out.
 */

const at = (second: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, second));

/** A draft on events known by content hash only (the plan reads nothing else of them), all at at(0). */
function draft(dedupKey: string, hashes: string[], suppression?: AlertDraft["suppression"]): AlertDraft {
  const events = hashes.map((contentHash) => ({ contentHash, timestamp: at(0) }));
  return alertDraftFixture({ id: "r1", name: "Tool" }, dedupKey, events, suppression);
}

type Answer = AlertAnswers[keyof AlertAnswers];

/**
 * Storage that answers each step from `answer` and lists the steps in the order they were asked, drafts by their
 * dedup key and events by their content hash so that the lists read plainly.
 */
function recording(answer: (step: AlertStep) => Answer) {
  const steps: string[] = [];
  const handle = (kind: AlertStep["kind"]) => (step: object) => {
    const full = { kind, ...step } as AlertStep;
    const shown = Object.entries(full)
      .filter(([name]) => name !== "kind")
      .map(([name, value]) => {
        if (name === "draft") return (value as AlertDraft).dedupKey;
        if (name === "event") return (value as { contentHash: string }).contentHash;
        if (value instanceof Date) return value.toISOString();
        return String(value);
      });
    steps.push(`${kind}(${shown.join(", ")})`);
    return answer(full);
  };
  const kinds = [
    "findGroupAlertAt",
    "findGroupAlertOfUpload",
    "foldIntoAlert",
    "insertAlert",
    "findStoredEvent",
    "linkEvent",
  ] as const;
  const storage = Object.fromEntries(kinds.map((kind) => [kind, handle(kind)])) as unknown as AlertStorage;
  const asyncStorage = Object.fromEntries(
    kinds.map((kind) => [kind, async (step: object) => handle(kind)(step)]),
  ) as unknown as AsyncAlertStorage;
  return { steps, storage, asyncStorage };
}

describe("planAlerts", () => {
  it("inserts each dedup key once, links this batch's events by id and looks up the ones stored before", () => {
    const drafts = [draft("d1", ["h1", "h0"]), draft("d1", ["h1", "h0"]), draft("d2", ["h2"]), draft("d3", ["hx"])];
    const eventIds = new Map([
      ["h1", 11],
      ["h2", 12],
    ]);
    const { steps, storage } = recording((step) => {
      if (step.kind === "insertAlert") return { d1: "a1", d3: "a3" }[step.draft.dedupKey];
      if (step.kind === "findStoredEvent") return step.event.contentHash === "h0" ? 7 : undefined;
      return undefined;
    });
    const decided = runAlertPlan(planAlerts(drafts, eventIds), storage);
    expect(steps).toEqual([
      "insertAlert(d1)",
      "linkEvent(a1, 0, 11)",
      `findStoredEvent(h0)`,
      "linkEvent(a1, 1, 7)",
      // d2's key is stored already (an upload sent again): nothing to link
      "insertAlert(d2)",
      // an event that is nowhere (removed by retention) is left out of the links
      "insertAlert(d3)",
      "findStoredEvent(hx)",
    ]);
    expect(decided).toEqual({ createdAlerts: ["d1", "d3"], alertsCreated: 2 });
  });

  it("folds a suppressing rule's match into its group's kept alert, and skips one whose event was stored before", () => {
    const windowed = { key: "r1\nc1", endsAt: at(59) };
    const perUpload = { key: "r1\nc2", endsAt: null };
    const drafts = [
      draft("s1", ["h1"], windowed),
      draft("s2", ["h2"], windowed),
      // completed by an event this batch did not store (it was stored before): counted then
      draft("s3", ["h2", "old"], windowed),
      draft("u1", ["h3"], perUpload),
      draft("u2", ["h4"], perUpload),
    ];
    const eventIds = new Map([
      ["h1", 1],
      ["h2", 2],
      ["h3", 3],
      ["h4", 4],
    ]);
    // The database as the plan's own writes leave it: an alert inserted for a group is the one later matches find.
    const kept = new Map<string, string>();
    const { steps, storage } = recording((step) => {
      if (step.kind === "findGroupAlertAt" || step.kind === "findGroupAlertOfUpload") return kept.get(step.key);
      if (step.kind === "insertAlert") {
        const id = `alert-${step.draft.dedupKey}`;
        if (step.draft.suppression) kept.set(step.draft.suppression.key, id);
        return id;
      }
      return undefined;
    });
    const decided = runAlertPlan(planAlerts(drafts, eventIds), storage);
    expect(steps).toEqual([
      `findGroupAlertAt(r1\nc1, ${at(0).toISOString()})`,
      "insertAlert(s1)",
      "linkEvent(alert-s1, 0, 1)",
      `findGroupAlertAt(r1\nc1, ${at(0).toISOString()})`,
      "foldIntoAlert(alert-s1)",
      "findGroupAlertOfUpload(r1\nc2)",
      "insertAlert(u1)",
      "linkEvent(alert-u1, 0, 3)",
      "findGroupAlertOfUpload(r1\nc2)",
      "foldIntoAlert(alert-u1)",
    ]);
    expect(decided.alertsCreated).toBe(2);
    const outcomes = new Set(decided.createdAlerts);
    expect(["s1", "s2", "s3", "u1", "u2", "never-seen"].map((key) => alertOutcome(outcomes, key))).toEqual([
      "created",
      "suppressed",
      "duplicate",
      "created",
      "suppressed",
      "duplicate",
    ]);
  });

  it("takes the same steps and decides the same on asynchronous storage", async () => {
    const group = { key: "r1\nc1", endsAt: at(59) };
    const drafts = [draft("s1", ["h1"], group), draft("s2", ["h2"], group), draft("d1", ["h1", "h9"])];
    const eventIds = new Map([
      ["h1", 1],
      ["h2", 2],
    ]);
    const answer = (step: AlertStep): Answer => {
      if (step.kind === "findGroupAlertAt") return step.key === group.key ? "kept-1" : undefined;
      if (step.kind === "insertAlert") return `alert-${step.draft.dedupKey}`;
      if (step.kind === "findStoredEvent") return 9;
      return undefined;
    };
    const sync = recording(answer);
    const async = recording(answer);
    const syncDecided = runAlertPlan(planAlerts(drafts, eventIds), sync.storage);
    const asyncDecided = await runAlertPlanAsync(planAlerts(drafts, eventIds), async.asyncStorage);
    expect(asyncDecided).toEqual(syncDecided);
    expect(async.steps).toEqual(sync.steps);
    expect(syncDecided).toEqual({ createdAlerts: ["suppressed\ns1", "suppressed\ns2", "d1"], alertsCreated: 1 });
    expect(sync.steps.slice(-3)).toEqual([
      "linkEvent(alert-d1, 0, 1)",
      "findStoredEvent(h9)",
      "linkEvent(alert-d1, 1, 9)",
    ]);
  });
});

describe("uploadProgressUpdate", () => {
  const counts = { inserted: 1_990, duplicates: 10, alertsCreated: 3 };

  it("sets a file's figures as they stand and adds the events stored or found stored", () => {
    expect(uploadProgressUpdate({ bytes: 4_096, received: 2_001, rejected: 1, format: "falco" }, counts)).toEqual({
      additive: false,
      bytes: 4_096,
      received: 2_001,
      rejected: 1,
      format: "falco",
      accepted: 2_000,
      duplicate: 10,
      alerts: 3,
    });
  });

  it("adds a stream's push figures, its alerts included", () => {
    const update = uploadProgressUpdate(
      { bytes: 300, received: 2, rejected: 0, format: "ecs", additive: true },
      counts,
    );
    expect(update).toMatchObject({ additive: true, bytes: 300, received: 2, accepted: 2_000, alerts: 3 });
  });
});

describe("sourceActivityUpdate", () => {
  const t0 = Date.UTC(2026, 11, 6, 12, 0, 45);
  const push = (overrides: Partial<Parameters<typeof sourceActivityUpdate>[0]> = {}) => ({
    tokenId: "tok-1",
    at: t0,
    pushes: 2,
    rejected: 1,
    formats: ["falco", "ecs"],
    errors: [
      { at: "2026-12-06T12:00:40.000Z", line: 3, message: "older" },
      { at: "2026-12-06T12:00:44.000Z", line: 1, message: "newer" },
    ],
    ...overrides,
  });
  const counts = { inserted: 5, duplicates: 1, alertsCreated: 2 };

  it("a source's first pushes: seen now, no gap yet, formats sorted, newest error first, this minute's activity", () => {
    const update = sourceActivityUpdate(
      push(),
      { lastSeenAt: null, meanGapSeconds: null, formats: "[]", latestErrors: "[]" },
      counts,
    );
    expect(update).toEqual({
      tokenId: "tok-1",
      pushes: 2,
      events: 6,
      rejected: 1,
      alerts: 2,
      seenAt: new Date(t0),
      meanGapSeconds: null,
      formats: '["ecs","falco"]',
      latestErrors: JSON.stringify([
        { at: "2026-12-06T12:00:44.000Z", line: 1, message: "newer" },
        { at: "2026-12-06T12:00:40.000Z", line: 3, message: "older" },
      ]),
      minute: new Date(Date.UTC(2026, 11, 6, 12, 0, 0)),
      pruneBefore: new Date(Date.UTC(2026, 10, 28, 12, 0, 0)),
    });
  });

  it("smooths the gap between pushes, never below zero, and keeps the latest errors only", () => {
    const stored = Array.from({ length: KEPT_SOURCE_ERRORS }, (_, i) => ({ at: "x", line: i, message: "stored" }));
    const current = { meanGapSeconds: 10, formats: '["ecs"]', latestErrors: JSON.stringify(stored) };
    const later = sourceActivityUpdate(push(), { ...current, lastSeenAt: new Date(t0 - 30_000) }, counts);
    expect(later.meanGapSeconds).toBeCloseTo(10 * 0.8 + 30 * 0.2, 10);
    expect(later.formats).toBe('["ecs","falco"]');
    const errors = JSON.parse(later.latestErrors) as { message: string }[];
    expect(errors).toHaveLength(KEPT_SOURCE_ERRORS);
    expect(errors.slice(0, 3).map((error) => error.message)).toEqual(["newer", "older", "stored"]);
    // a push stamped before the last one seen (another instance's clock) counts as no gap
    const early = sourceActivityUpdate(push(), { ...current, lastSeenAt: new Date(t0 + 5_000) }, counts);
    expect(early.meanGapSeconds).toBeCloseTo(8, 10);
  });

  it("a batch that carries no pushes (not its group's last) leaves the last-seen time and the gap as they are", () => {
    const lastSeenAt = new Date(t0 - 60_000);
    const update = sourceActivityUpdate(
      push({ pushes: 0, rejected: 0, errors: [] }),
      { lastSeenAt, meanGapSeconds: 12, formats: '["ecs"]', latestErrors: "[]" },
      counts,
    );
    expect(update).toMatchObject({ pushes: 0, events: 6, alerts: 2, seenAt: lastSeenAt, meanGapSeconds: 12 });
  });
});
