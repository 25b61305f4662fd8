/**
 * What a stored batch decides, whichever database stores it: which alert drafts become alerts, which fold into
 * their suppression group's kept alert and which are skipped; what the upload's progress and the source's counters
 * become. The two batch writers (batch-writer-thread.mjs on SQLite, dialect/postgresql/batch-writer.ts) run the
 * statements; every decision is made here, once, so the two cannot drift apart.
 *
 * No I/O: the alert decisions are a generator that asks for each lookup and write it needs (planAlerts) and is
 * given the answers, so the same code runs inside SQLite's synchronous transaction (runAlertPlan) and over
 * PostgreSQL's asynchronous one (runAlertPlanAsync). A lookup cannot be read before the loop: a draft's alert is
 * what the next draft of its group folds into, and only the database knows whether a dedup key is stored.
 *
 * Plain JavaScript, like batch-writer-thread.mjs, which loads it without a TypeScript loader;
 * batch-writer-plan.d.mts types it.
 */

/** How the returned keys mark a match folded into a kept alert (alertOutcome reads it back). */
const SUPPRESSED_PREFIX = "suppressed\n";

/** How many of a source's latest errors its row keeps (the Sources page shows them). */
export const KEPT_SOURCE_ERRORS = 20;
/** Per-minute activity older than this is deleted as new minutes are written (the page shows a day). */
const SOURCE_ACTIVITY_DAYS = 8;
/** Weight of the newest gap in a source's smoothed gap between pushes. */
const GAP_WEIGHT = 0.2;

/**
 * The alert decisions of one batch, in draft order. `eventIds` are the ids of the events this batch stored, by
 * content hash. Yields the steps the writer runs (each names its storage method in `kind`) and is resumed with
 * their answers; returns the dedup keys with each one's outcome and how many alerts were created.
 *
 * - A dedup key decided earlier in the batch is skipped (the same rule on the same events).
 * - A suppressing rule's match whose completing event was stored before (an upload sent again) was counted then:
 *   a duplicate, not one more repeat. Otherwise it folds into its group's kept alert when there is one: the newest
 *   whose window holds the match, or, for a group without a duration, the one raised by the same upload.
 * - Any other match is inserted; an insert that finds its dedup key stored is a duplicate.
 * - A new alert's triggering events are linked in order by content hash: this batch's were just stored, a
 *   sequence's earlier events were stored by an earlier batch and are looked up; one not found is left out.
 */
export function* planAlerts(drafts, eventIds) {
  const decided = new Set();
  let alertsCreated = 0;
  for (const draft of drafts) {
    if (decided.has(draft.dedupKey)) continue;
    const group = draft.suppression;
    if (group) {
      const last = draft.events[draft.events.length - 1];
      if (last && !eventIds.has(last.contentHash)) continue;
      const keptId = group.endsAt
        ? yield { kind: "findGroupAlertAt", key: group.key, at: draft.timestamp }
        : yield { kind: "findGroupAlertOfUpload", key: group.key };
      if (keptId !== undefined) {
        yield { kind: "foldIntoAlert", alertId: keptId };
        decided.add(`${SUPPRESSED_PREFIX}${draft.dedupKey}`);
        continue;
      }
    }
    const alertId = yield { kind: "insertAlert", draft };
    if (alertId === undefined) continue;
    decided.add(draft.dedupKey);
    alertsCreated++;
    for (let position = 0; position < draft.events.length; position++) {
      const event = draft.events[position];
      const eventId = eventIds.get(event.contentHash) ?? (yield { kind: "findStoredEvent", event });
      if (eventId !== undefined) yield { kind: "linkEvent", alertId, position, eventId };
    }
  }
  return { createdAlerts: [...decided], alertsCreated };
}

/** Runs planAlerts' steps on synchronous storage (SQLite's statements): each step calls `storage[step.kind]`. */
export function runAlertPlan(plan, storage) {
  let step = plan.next();
  while (!step.done) step = plan.next(storage[step.value.kind](step.value));
  return step.value;
}

/** Runs planAlerts' steps on asynchronous storage (PostgreSQL's client), one at a time, in order. */
export async function runAlertPlanAsync(plan, storage) {
  let step = plan.next();
  while (!step.done) step = plan.next(await storage[step.value.kind](step.value));
  return step.value;
}

/**
 * What became of a draft in a stored batch, from the batch's `createdAlerts`: "created", "suppressed" (folded
 * into its group's kept alert) or "duplicate" (raised before, or its completing event stored before).
 */
export function alertOutcome(createdAlerts, dedupKey) {
  if (createdAlerts.has(dedupKey)) return "created";
  if (createdAlerts.has(`${SUPPRESSED_PREFIX}${dedupKey}`)) return "suppressed";
  return "duplicate";
}

/**
 * The alert columns a draft carries as they are, in the order both writers' INSERT statements name them: from
 * "containerId" to "uploadId".
 */
export function alertContextValues(draft, uploadId) {
  return [
    draft.containerId,
    draft.containerName,
    draft.imageName,
    draft.hostName,
    draft.processName,
    draft.processExecutable,
    draft.commandLine,
    draft.userName,
    draft.entityId,
    draft.entryLeaderEntityId,
    draft.sessionLeaderEntityId,
    uploadId,
  ];
}

/**
 * The Upload row's new counters. The events the batch stored or found stored already are added to the accepted
 * count (and the latter to the duplicate count): the batch knows only what it stored itself. A file's batch sets
 * the upload's byte, line and rejected figures as they stand; a source's stream (`additive`) adds its push's own,
 * and its alerts, to the one row no batch knows the totals of.
 */
export function uploadProgressUpdate(progress, counts) {
  return {
    additive: progress.additive === true,
    bytes: progress.bytes,
    received: progress.received,
    rejected: progress.rejected,
    format: progress.format,
    accepted: counts.inserted + counts.duplicates,
    duplicate: counts.duplicates,
    alerts: counts.alertsCreated,
  };
}

/**
 * A source's Source row and per-minute activity after a group of its pushes, from the row as it stands
 * (`current`: its formats and latest errors as the JSON text stored). `source` says what the pushes held
 * (pushes, rejected lines, formats, errors; a group larger than one batch sends them with its last batch only);
 * the events and alerts are what this batch stored. Only pushes move the last-seen time and the smoothed gap.
 */
export function sourceActivityUpdate(source, current, counts) {
  let meanGapSeconds = current.meanGapSeconds;
  if (source.pushes > 0 && current.lastSeenAt) {
    const gap = Math.max(0, (source.at - current.lastSeenAt.getTime()) / 1000);
    meanGapSeconds = meanGapSeconds === null ? gap : meanGapSeconds * (1 - GAP_WEIGHT) + gap * GAP_WEIGHT;
  }
  const formats = [...new Set([...JSON.parse(current.formats), ...source.formats])].sort();
  const errors = [...source.errors.slice().reverse(), ...JSON.parse(current.latestErrors)].slice(0, KEPT_SOURCE_ERRORS);
  const minute = new Date(Math.floor(source.at / 60_000) * 60_000);
  return {
    tokenId: source.tokenId,
    pushes: source.pushes,
    events: counts.inserted + counts.duplicates,
    rejected: source.rejected,
    alerts: counts.alertsCreated,
    seenAt: source.pushes > 0 ? new Date(source.at) : current.lastSeenAt,
    meanGapSeconds,
    formats: JSON.stringify(formats),
    latestErrors: JSON.stringify(errors),
    minute,
    pruneBefore: new Date(minute.getTime() - SOURCE_ACTIVITY_DAYS * 86_400_000),
  };
}
