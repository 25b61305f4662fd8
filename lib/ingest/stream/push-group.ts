import type { AlertDraft } from "../../db/alerts";
import type { SourceStream } from "../../db/sources";
import type { UploadReport } from "../../db/uploads";
import { Detector } from "../../detection/detector";
import { IngestRun, type RunObserver } from "../ingest";
import { detectionContext } from "./detection-context";
import type { ReadPush } from "./read-push";

/** One push's share of its group, counted while the group runs. */
class PushTally {
  received = 0;
  rejected = 0;
  skipped = 0;
  duplicate = 0;
  errors: { line: number; message: string }[] = [];
  alerts = { created: 0, suppressed: 0, suppressedByException: 0, duplicate: 0 };
  readonly byRule = new Map<string, { ruleId: string; ruleName: string; created: number }>();

  countAlert(outcome: "created" | "suppressed" | "excepted" | "duplicate", draft: AlertDraft | null): void {
    if (outcome === "excepted") {
      this.alerts.suppressed++;
      this.alerts.suppressedByException++;
    } else if (outcome === "suppressed") this.alerts.suppressed++;
    else if (outcome === "duplicate") this.alerts.duplicate++;
    else {
      this.alerts.created++;
      if (!draft) return;
      const key = `${draft.ruleId}\n${draft.ruleName}`;
      const entry = this.byRule.get(key) ?? { ruleId: draft.ruleId, ruleName: draft.ruleName, created: 0 };
      entry.created++;
      this.byRule.set(key, entry);
    }
  }
}

/**
 * Stores a group of one source's pushes as one run: the rules, exceptions
 * and ancestry are looked up once, and the events go to the writer in as
 * few transactions as the group's size allows (one, for pushes of up to
 * 2,000 events together). Each push gets its own report, with its own line
 * numbers, as if it had been stored alone. Throws when the group could not
 * be stored; batches it stored stay, and a push sent again is recognised
 * event by event (content hash), so nothing is doubled.
 */
export async function ingestPushGroup(
  stream: SourceStream,
  pushes: readonly ReadPush[],
  at: number,
): Promise<UploadReport[]> {
  const { rules, exceptions, fieldTypes } = await detectionContext(at);
  // Each push's lines follow the previous push's in the group: line L of push k is starts[k] + L.
  const starts: number[] = [];
  let next = 0;
  for (const push of pushes) {
    starts.push(next);
    next += push.items.reduce((last, item) => Math.max(last, item.line), 0);
  }
  const pushOf = (line: number): number => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! < line) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const tallies = pushes.map(() => new PushTally());
  const owners = new Map<string, number>();
  const observer: RunObserver = {
    event: (hash, line) => owners.set(hash, pushOf(line)),
    duplicates: (hashes) => {
      for (const hash of hashes) {
        const owner = owners.get(hash);
        if (owner !== undefined) tallies[owner]!.duplicate++;
      }
    },
    alert: (hashes, outcome, draft) => {
      // The push of the event that completed the match (a sequence's earlier events may be stored already).
      for (let index = hashes.length - 1; index >= 0; index--) {
        const owner = owners.get(hashes[index]!);
        if (owner !== undefined) {
          tallies[owner]!.countAlert(outcome, draft);
          return;
        }
      }
    },
  };
  const formats = [...new Set(pushes.map((push) => push.format).filter((format) => format !== "auto"))];
  const counter = { bytes: pushes.reduce((sum, push) => sum + push.bytes, 0) };
  const run = new IngestRun(
    stream.uploadId,
    { fileName: "stream", format: "auto" },
    new Detector(rules, { fieldTypes }),
    exceptions,
    counter,
    {
      tokenId: stream.tokenId,
      at,
      pushes: pushes.length,
      formats,
      pushLine: (line) => line - starts[pushOf(line)]!,
      observer,
    },
  );
  // The stream row shows the format of its latest group.
  if (formats.length > 0) run.setFormat(formats.length === 1 ? formats[0]! : "mixed");
  try {
    for (const [index, push] of pushes.entries()) {
      const before = run.tally();
      const start = starts[index]!;
      for (const item of push.items) {
        if ("error" in item) {
          if (item.notEvent) run.notice(start + item.line, item.error, item.notEvent.count);
          else run.reject(start + item.line, item.error);
        } else await run.accept(start + item.line, item.event, item.text);
      }
      const after = run.tally();
      const tally = tallies[index]!;
      tally.received = after.received - before.received;
      tally.rejected = after.rejected - before.rejected;
      tally.skipped = after.skipped - before.skipped;
      tally.errors = run.errorsFrom(before.errorsKept).map((error) => ({ ...error, line: error.line - start }));
    }
    await run.finish();
  } catch (error) {
    await run.settle().catch(() => undefined);
    run.discardStaged();
    throw error;
  }
  return pushes.map((push, index) => pushReport(stream, push, tallies[index]!));
}

function pushReport(stream: SourceStream, push: ReadPush, tally: PushTally): UploadReport {
  const rules = [...tally.byRule.values()];
  return {
    uploadId: stream.uploadId,
    fileName: "stream",
    format: push.format,
    status: "done",
    bytes: push.bytes,
    events: {
      received: tally.received,
      accepted: tally.received - tally.rejected,
      rejected: tally.rejected,
      duplicate: tally.duplicate,
      ...(tally.skipped > 0 ? { skipped: tally.skipped } : {}),
    },
    errors: tally.errors.sort((a, b) => a.line - b.line),
    errorCount: tally.rejected,
    alerts: {
      ...tally.alerts,
      byRule: Object.fromEntries(rules.map((rule) => [rule.ruleName, rule.created])),
      rules,
    },
  };
}
