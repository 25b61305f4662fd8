/**
 * Loading and removing the bundled sample incidents. A sample goes through the
 * normal ingest pipeline (format adapters, ancestry, rules, exceptions) as an
 * upload marked `sample`, so everything it creates can be told apart and
 * removed in one action. Used by /api/samples and `keelwatch demo`.
 */
import { Readable } from "node:stream";
import { appendAudit } from "../db/audit";
import { prisma } from "../db/client";
import type { UploadReport } from "../db/uploads";
import { ingestEvents } from "../ingest/ingest";
import { type SampleFormat, sampleUploadName } from "./formats";
import { generateRecentSample } from "./generate";

export interface SampleActor {
  id: string | null;
  /** As shown in the audit log ("alice", "token:ci", "cli"). */
  label: string;
  ip?: string | null;
}

export interface SampleLoadResult {
  /** True when every event of the sample was already stored: nothing was added. */
  alreadyLoaded: boolean;
  /** The upload holding the sample's events (the earlier one when already loaded). */
  uploadId: string | null;
  report: UploadReport;
}

export interface SampleDataStatus {
  /** Sample uploads with their counts, oldest first. */
  uploads: { id: string; fileName: string; format: string; createdAt: Date; events: number; alerts: number }[];
  events: number;
  alerts: number;
}

/**
 * Ingests one sample incident, moved in time to end a few minutes before `now`
 * so that it shows in every recent view. A format already loaded (and not
 * removed since) is not loaded again: the answer is alreadyLoaded with the
 * earlier upload and its report.
 */
export async function loadSample(
  format: SampleFormat,
  actor: SampleActor,
  now: Date = new Date(),
): Promise<SampleLoadResult> {
  const earlier = await prisma().upload.findFirst({
    where: { sample: true, format, status: "done", report: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { id: true, report: true },
  });
  const fileName = sampleUploadName(format);
  let result: SampleLoadResult;
  if (earlier?.report) {
    result = { alreadyLoaded: true, uploadId: earlier.id, report: JSON.parse(earlier.report) as UploadReport };
  } else {
    const text = generateRecentSample(format, now.getTime());
    const startedAt = new Date();
    let report: UploadReport;
    try {
      report = await ingestEvents(Readable.from([Buffer.from(text)]), { fileName, format, createdById: actor.id });
    } catch (error) {
      // The upload row exists but its id never came back: find it by name and time, so removal still finds it.
      await prisma().upload.updateMany({
        where: { fileName, createdById: actor.id, sample: false, createdAt: { gte: startedAt } },
        data: { sample: true },
      });
      throw error;
    }
    await prisma().upload.update({ where: { id: report.uploadId }, data: { sample: true } });
    result = { alreadyLoaded: false, uploadId: report.uploadId, report };
  }
  await appendAudit({
    actorId: actor.id,
    actorLabel: actor.label,
    action: "samples.load",
    targetType: "upload",
    ...(result.uploadId ? { targetId: result.uploadId } : {}),
    details: {
      format,
      alreadyLoaded: result.alreadyLoaded,
      events: result.alreadyLoaded ? 0 : result.report.events.accepted - result.report.events.duplicate,
      alerts: result.alreadyLoaded ? 0 : result.report.alerts.created,
    },
    ip: actor.ip ?? null,
  });
  return result;
}

/** What sample data the database holds. */
export async function sampleDataStatus(): Promise<SampleDataStatus> {
  const db = prisma();
  const rows = await db.upload.findMany({
    where: { sample: true },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      fileName: true,
      format: true,
      createdAt: true,
      _count: { select: { events: true, alerts: true } },
    },
  });
  const uploads = rows.map(({ _count, ...row }) => ({ ...row, events: _count.events, alerts: _count.alerts }));
  return {
    uploads,
    events: uploads.reduce((sum, upload) => sum + upload.events, 0),
    alerts: uploads.reduce((sum, upload) => sum + upload.alerts, 0),
  };
}

/**
 * Deletes every sample upload with its events and alerts. Alerts keep their
 * upload with onDelete SetNull, so they are deleted explicitly: those raised by
 * a sample upload, and those whose triggering events came from one.
 */
export async function removeSampleData(
  actor: SampleActor,
): Promise<{ uploads: number; events: number; alerts: number }> {
  const db = prisma();
  const uploads = await db.upload.findMany({ where: { sample: true }, select: { id: true } });
  const ids = uploads.map((upload) => upload.id);
  const [alerts, events, removed] = await db.$transaction([
    db.alert.deleteMany({
      where: { OR: [{ uploadId: { in: ids } }, { events: { some: { event: { uploadId: { in: ids } } } } }] },
    }),
    db.event.deleteMany({ where: { uploadId: { in: ids } } }),
    db.upload.deleteMany({ where: { id: { in: ids } } }),
  ]);
  const result = { uploads: removed.count, events: events.count, alerts: alerts.count };
  await appendAudit({
    actorId: actor.id,
    actorLabel: actor.label,
    action: "samples.remove",
    targetType: "upload",
    details: { ...result, uploadIds: ids },
    ip: actor.ip ?? null,
  });
  return result;
}
