import { transientStorageFailure } from "../db/storage-problem";
import { finishUpload, type UploadReport } from "../db/uploads";

/** Pauses between background attempts: about eight minutes in all, then start-up's sweep takes over. */
export const REPORT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 240_000];

/**
 * Writes an upload's final report to its row ("done" or "failed"). That write
 * often meets the very problem that failed the upload (another process's
 * lock, a full disk, PostgreSQL out of reach), and it can meet one of its own
 * after every batch was stored. When the database refuses it for such a
 * passing reason (lib/db/storage-problem.ts: transientStorageFailure) it is
 * tried again in the background with growing pauses; otherwise the upload
 * would show "receiving" until the next restart marked it failed. A write
 * refused for good (a constraint, a value the column cannot hold, a row that
 * is gone) would fail the same way for eight minutes: it is given up at once,
 * with a log line naming the upload and the error. Never throws: a failed
 * upload's caller reports the upload's own error, and a finished upload's
 * events are stored whether or not its row says so yet. Resolves to whether
 * the first attempt went through.
 */
export async function recordUploadReport(
  report: UploadReport,
  write: (report: UploadReport) => Promise<void> = finishUpload,
  delaysMs: readonly number[] = REPORT_RETRY_DELAYS_MS,
): Promise<boolean> {
  try {
    await write(report);
    return true;
  } catch (error) {
    if (!transientStorageFailure(error)) {
      giveUpAtOnce(report, error);
      return false;
    }
    console.error(`keelwatch: could not mark upload ${uploadAndStatus(report)}, will retry: ${lastLine(error)}`);
  }
  retry(report, write, delaysMs, 0);
  return false;
}

function retry(
  report: UploadReport,
  write: (report: UploadReport) => Promise<void>,
  delaysMs: readonly number[],
  attempt: number,
): void {
  const delay = delaysMs[attempt];
  if (delay === undefined) {
    console.error(
      `keelwatch: gave up marking upload ${uploadAndStatus(report)}; it shows "receiving" until the next start-up marks it failed`,
    );
    return;
  }
  // unref: a pending retry must not keep a stopping server (or a CLI run) alive.
  setTimeout(() => {
    write(report).catch((error: unknown) => {
      if (transientStorageFailure(error)) retry(report, write, delaysMs, attempt + 1);
      else giveUpAtOnce(report, error);
    });
  }, delay).unref();
}

function giveUpAtOnce(report: UploadReport, error: unknown): void {
  console.error(
    `keelwatch: gave up marking upload ${uploadAndStatus(report)} at once: the database refused the write for good, ` +
      `trying again cannot help: ${lastLine(error)}`,
  );
}

function uploadAndStatus(report: UploadReport): string {
  return `${report.uploadId} ${report.status}`;
}

function lastLine(error: unknown): string {
  return error instanceof Error
    ? (error.message.split("\n").filter(Boolean).slice(-1)[0] ?? error.name)
    : String(error);
}
