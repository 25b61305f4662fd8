import { type AlertDraft, insertAlerts } from "./alerts";
import { prisma } from "./client";
import { type EventRow, insertEvents } from "./events";

export interface StoredBatch {
  inserted: number;
  duplicates: number;
  /** dedup keys of the alerts that were new */
  createdAlerts: Set<string>;
}

/**
 * One batch of an upload in one transaction: its events and the alerts they
 * raised are stored together or not at all, so a crash mid-upload leaves
 * whole batches behind, never events without their alerts.
 */
export async function storeBatch(
  uploadId: string,
  events: readonly EventRow[],
  alerts: readonly AlertDraft[],
): Promise<StoredBatch> {
  return prisma().$transaction(
    async (tx) => {
      const { inserted } = await insertEvents(tx, uploadId, events);
      const createdAlerts = await insertAlerts(tx, uploadId, alerts);
      return { inserted, duplicates: events.length - inserted, createdAlerts };
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}
