import { runUpkeepStep } from "../batch-writer";
import type { ExpiredBlock, RetentionPolicy } from "./maintenance.mjs";

/**
 * The event store's background upkeep in a server: first the documents of
 * events stored before blocks move into blocks, then retention removes what
 * its policy expires, one block per step. Each step is a short transaction on
 * the writer's thread, with a pause after it, so uploads and analysts never
 * wait long. Safe with several servers on one database: a step re-reads what
 * it changes inside its transaction.
 */

const PAUSE_MS = 20;

/** The deployment's retention: KEELWATCH_RETENTION_DAYS and KEELWATCH_RETENTION_MAX_GB; unset keeps everything. */
export function retentionPolicy(env: Partial<Record<string, string>> = process.env): RetentionPolicy {
  return {
    maxDays: positiveNumber(env, "KEELWATCH_RETENTION_DAYS", 1, 36_500),
    maxBytes: bytesFromGigabytes(positiveNumber(env, "KEELWATCH_RETENTION_MAX_GB", 0.01, 1_000_000)),
  };
}

function positiveNumber(env: Partial<Record<string, string>>, name: string, min: number, max: number): number | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function bytesFromGigabytes(gigabytes: number | null): number | null {
  return gigabytes === null ? null : Math.round(gigabytes * 1024 ** 3);
}

export interface UpkeepReport {
  converted: number;
  expired: ExpiredBlock[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One full pass: every legacy event converted, then retention until its policy asks for nothing more. */
export async function runUpkeepPass(
  policy: RetentionPolicy = retentionPolicy(),
  options: { now?: () => number; pauseMs?: number; shouldContinue?: () => boolean } = {},
): Promise<UpkeepReport> {
  const now = options.now ?? Date.now;
  const pause = options.pauseMs ?? PAUSE_MS;
  const going = options.shouldContinue ?? (() => true);
  const report: UpkeepReport = { converted: 0, expired: [] };
  let after = 0;
  while (going()) {
    const batch = await runUpkeepStep<{ converted: number; lastId: number }>({
      kind: "convert",
      after,
      batchSize: 2_000,
    });
    if (batch.converted === 0) break;
    report.converted += batch.converted;
    after = batch.lastId;
    await sleep(pause);
  }
  if (!policy.maxDays && !policy.maxBytes) return report;
  while (going()) {
    const step = await runUpkeepStep<ExpiredBlock | null>({ kind: "retention", policy, now: now() });
    if (!step) break;
    report.expired.push(step);
    await sleep(pause);
  }
  return report;
}

/** The pause between two upkeep passes unless KEELWATCH_UPKEEP_INTERVAL_MS says otherwise. */
export const DEFAULT_UPKEEP_INTERVAL_MS = 10 * 60_000;

/**
 * KEELWATCH_UPKEEP_INTERVAL_MS: the pause between passes, in whole milliseconds (at least 100). Tests that need
 * two servers' passes to meet shorten it (stress/pg-two-instances-upkeep.stress.ts); a deployment has no reason to.
 */
export function upkeepIntervalFromEnv(env: Partial<Record<string, string>> = process.env): number {
  const raw = env.KEELWATCH_UPKEEP_INTERVAL_MS?.trim();
  if (!raw) return DEFAULT_UPKEEP_INTERVAL_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 100) {
    throw new Error(`KEELWATCH_UPKEEP_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "${raw}"`);
  }
  return value;
}

/**
 * Runs a pass at start and then every `intervalMs` (10 minutes, or KEELWATCH_UPKEEP_INTERVAL_MS), until the
 * returned stop() is called. A failing pass is logged and tried again at the next interval; it never stops the
 * server.
 */
export function startEventUpkeep(intervalMs = upkeepIntervalFromEnv()): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const policy = retentionPolicy();
  const pass = async () => {
    try {
      const report = await runUpkeepPass(policy, { shouldContinue: () => !stopped });
      if (report.converted > 0) console.log(`keelwatch: moved ${report.converted} stored events into event blocks`);
      const deleted = report.expired.reduce((sum, step) => sum + step.deletedEvents, 0);
      if (deleted > 0) console.log(`keelwatch: retention removed ${deleted} events (${describePolicy(policy)})`);
    } catch (error) {
      console.error(`keelwatch: event store upkeep failed: ${error instanceof Error ? error.message : error}`);
    }
    if (!stopped) {
      timer = setTimeout(pass, intervalMs);
      timer.unref();
    }
  };
  timer = setTimeout(pass, 1_000);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export function describePolicy(policy: RetentionPolicy): string {
  const parts: string[] = [];
  if (policy.maxDays) parts.push(`events kept ${policy.maxDays} days`);
  if (policy.maxBytes) parts.push(`at most ${(policy.maxBytes / 1024 ** 3).toFixed(2)} GB`);
  return parts.length > 0 ? parts.join(", ") : "events kept for ever";
}
