import { finishUpload, type UploadReport } from "../db/uploads";

/** Pauses between background attempts: about eight minutes in all, then start-up's sweep takes over. */
export const FAILURE_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 240_000];

/**
 * Marks a failed upload "failed". The write that records the failure often
 * meets the very problem that failed the upload (another process's lock, a
 * full disk), so when it is refused it is tried again in the background with
 * growing pauses; otherwise the upload would show "receiving" until the next
 * restart. Never throws: the caller reports the upload's own error.
 */
export async function recordUploadFailure(
  report: UploadReport,
  write: (report: UploadReport) => Promise<void> = finishUpload,
  delaysMs: readonly number[] = FAILURE_RETRY_DELAYS_MS,
): Promise<boolean> {
  try {
    await write(report);
    return true;
  } catch (error) {
    console.error(`keelwatch: could not mark upload ${report.uploadId} failed, will retry: ${lastLine(error)}`);
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
    console.error(`keelwatch: gave up marking upload ${report.uploadId} failed; the next start-up will`);
    return;
  }
  // unref: a pending retry must not keep a stopping server (or a CLI run) alive.
  setTimeout(() => {
    write(report).catch(() => retry(report, write, delaysMs, attempt + 1));
  }, delay).unref();
}

function lastLine(error: unknown): string {
  return error instanceof Error
    ? (error.message.split("\n").filter(Boolean).slice(-1)[0] ?? error.name)
    : String(error);
}
