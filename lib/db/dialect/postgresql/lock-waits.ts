import type pg from "pg";

/**
 * For tests that stage a race between instances on PostgreSQL: waits until sessions of the watcher's database wait
 * for a lock. One session holds a lock the racing statements need; once they all wait for it, releasing it lets them
 * run into each other in a known state, however the machine schedules them.
 */
export interface LockWaitQuery {
  /** only statements starting with this (after leading white space) count; any statement when absent */
  statement?: string;
  /** how many sessions must be waiting (1 by default) */
  count?: number;
  /** give up after this long (default 60 s), naming what was waited for */
  timeoutMs?: number;
}

export async function waitForLockWaits(watcher: pg.Client, query: LockWaitQuery = {}): Promise<void> {
  const count = query.count ?? 1;
  const deadline = Date.now() + (query.timeoutMs ?? 60_000);
  for (;;) {
    const { rows } = await watcher.query<{ waiting: string }>(
      `SELECT count(*) AS "waiting" FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND ltrim(query) LIKE $1`,
      [`${query.statement ?? ""}%`],
    );
    if (Number(rows[0]?.waiting) >= count) return;
    if (Date.now() > deadline) {
      throw new Error(`no ${count} session(s) waiting for a lock in "${query.statement ?? "any statement"}"`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Transactions of the client's database that ended in a deadlock since it was made (pg_stat_database): PostgreSQL
 * rolls one of them back, and an instance stores its batch again, so nothing else shows it. A session counts its
 * deadlock when it next reports its statistics, within a second of going idle: `settleMs` waits for that first
 * (0 for a figure taken before the race).
 */
export async function databaseDeadlocks(client: pg.Client, settleMs = 1_500): Promise<number> {
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  const { rows } = await client.query<{ deadlocks: string }>(
    `SELECT "deadlocks" FROM pg_stat_database WHERE "datname" = current_database()`,
  );
  return Number(rows[0]?.deadlocks ?? 0);
}
