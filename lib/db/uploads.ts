import { prisma } from "./client";
import { newLease } from "./upload-leases";

/** Kept in the Upload row and returned by POST /api/events (see the public contract). */
export interface UploadReport {
  uploadId: string;
  fileName: string;
  format: string;
  status: "done" | "failed";
  bytes: number;
  /** `skipped`: lines that were not events (a sensor's metrics snapshots), reported in `errors` but not rejected. */
  events: { received: number; accepted: number; rejected: number; duplicate: number; skipped?: number };
  errors: { line: number; message: string }[];
  errorCount: number;
  alerts: {
    created: number;
    /** Matches not raised: over the rule's max alerts per run, or covered by an exception. */
    suppressed: number;
    /** Of those, the matches an active false-positive exception covered. */
    suppressedByException: number;
    /** Matches that an earlier upload already raised (same rule, same events). */
    duplicate: number;
    /** Alerts created per alert name (the contract's shape): the rule's name, or the sensor's rule for promoted alerts. */
    byRule: Record<string, number>;
    /** The same with each name's rule id, for links to the rule's alerts (a promotion rule may appear under several names). */
    rules: { ruleId: string; ruleName: string; created: number }[];
  };
  failure?: string;
}

export async function createUpload(input: {
  fileName: string;
  format: string;
  createdById: string | null;
  /** the API token that sent the events, for notification rules that select by sensor */
  apiTokenId?: string | null;
}): Promise<string> {
  // The row is this instance's while it receives the upload (lib/db/upload-leases.ts: the caller holds the lease).
  const upload = await prisma().upload.create({
    data: { ...input, status: "receiving", ...newLease() },
    select: { id: true },
  });
  return upload.id;
}

export async function finishUpload(report: UploadReport): Promise<void> {
  await prisma().upload.update({
    where: { id: report.uploadId },
    data: {
      status: report.status,
      format: report.format,
      bytesReceived: report.bytes,
      eventsReceived: report.events.received,
      eventsAccepted: report.events.accepted,
      eventsRejected: report.events.rejected,
      eventsDuplicate: report.events.duplicate,
      alertsCreated: report.alerts.created,
      alertsSuppressed: report.alerts.suppressed,
      errors: JSON.stringify(report.errors),
      errorCount: report.errorCount,
      report: JSON.stringify(report),
      failureReason: report.failure ?? null,
      finishedAt: new Date(),
      leaseExpiresAt: null,
    },
  });
}

export async function findUpload(id: string) {
  return prisma().upload.findUnique({ where: { id } });
}

const UPLOAD_SUMMARY = {
  id: true,
  fileName: true,
  format: true,
  status: true,
  bytesReceived: true,
  eventsReceived: true,
  eventsAccepted: true,
  eventsRejected: true,
  eventsDuplicate: true,
  alertsCreated: true,
  alertsSuppressed: true,
  errorCount: true,
  failureReason: true,
  createdAt: true,
  finishedAt: true,
} as const;

/**
 * A summary row as the API answers it: bytesReceived is a BigInt column (a stream's total passes 2 GiB), read as a
 * number, which is exact up to 8 PiB, since JSON has no BigInt.
 */
function summaryOf<Row extends { bytesReceived: bigint }>(
  row: Row,
): Omit<Row, "bytesReceived"> & { bytesReceived: number } {
  return { ...row, bytesReceived: Number(row.bytesReceived) };
}

/** Files, newest first, cursor-paginated by id (sources' streams are on the Sources page). */
export async function listUploads(limit: number, cursor?: string) {
  const rows = await prisma().upload.findMany({
    where: { kind: "file" },
    select: UPLOAD_SUMMARY,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  const items = rows.slice(0, limit).map(summaryOf);
  return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** One upload with its kept errors and, once finished, its report: while it runs, the counts show its progress. */
export async function getUploadDetail(id: string) {
  const row = await prisma().upload.findUnique({
    where: { id },
    select: { ...UPLOAD_SUMMARY, errors: true, report: true },
  });
  if (!row) return null;
  const { errors, report, ...rest } = row;
  const finished = report ? (JSON.parse(report) as UploadReport) : null;
  return {
    ...summaryOf(rest),
    errors: JSON.parse(errors) as { line: number; message: string }[],
    alertsDuplicate: finished?.alerts.duplicate ?? 0,
    alertsSuppressedByException: finished?.alerts.suppressedByException ?? 0,
    alertRules: finished?.alerts.rules ?? [],
  };
}
