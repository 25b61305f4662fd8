import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../lib/db/migrate";
import { Prng } from "./prng";
import { SEED_ANALYSTS, SEED_RULES, SkewedPicker, seedAlertsDatabase } from "./seed-alerts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-seed-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function indexNames(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`).all() as { name: string }[])
      .map((row) => row.name)
      .sort();
  } finally {
    db.close();
  }
}

describe("SkewedPicker", () => {
  it("stays in range and favours the first values", () => {
    const picker = new SkewedPicker(10);
    const prng = new Prng(1);
    const counts = new Array<number>(10).fill(0);
    const picks = Array.from({ length: 10_000 }, () => picker.pick(prng));
    expect(Math.min(...picks)).toBe(0);
    expect(Math.max(...picks)).toBe(9);
    for (const index of picks) counts[index] = (counts[index] ?? 0) + 1;
    expect(counts[0]).toBeGreaterThan(counts[9] ?? 0);
    expect(counts.every((count) => count > 0)).toBe(true);
  });
});

describe("seedAlertsDatabase", () => {
  const file = path.join(dir, "seed.db");
  const alerts = 1_234; // not a multiple of the per-upload or per-transaction size
  const now = Date.UTC(2026, 10, 23, 12);
  let progress: number[] = [];

  it("writes the counted rows, linked as the schema requires, with the migrations' indexes", async () => {
    progress = [];
    const counts = await seedAlertsDatabase(file, {
      alerts,
      adminPassword: "bench-admin-password",
      now,
      onProgress: (written) => progress.push(written),
    });
    expect(counts).toEqual({
      alerts,
      events: alerts,
      alertEvents: alerts,
      uploads: 1,
      rules: SEED_RULES.length,
      users: SEED_ANALYSTS.length + 1,
    });
    expect(progress.at(-1)).toBe(alerts);

    const db = new Database(file, { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    try {
      expect(count(`SELECT COUNT(*) AS n FROM "Alert"`)).toBe(alerts);
      expect(count(`SELECT COUNT(*) AS n FROM "Event"`)).toBe(alerts);
      expect(count(`SELECT COUNT(*) AS n FROM "AlertEvent"`)).toBe(alerts);
      expect(count(`SELECT COUNT(*) AS n FROM "Upload"`)).toBe(1);
      expect(count(`SELECT COUNT(*) AS n FROM "User"`)).toBe(SEED_ANALYSTS.length + 1);
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");

      // Every status, several rules and severities, times inside the 30-day window, ISO as Prisma writes them.
      const statuses = db.prepare(`SELECT status, COUNT(*) AS n FROM "Alert" GROUP BY status`).all() as {
        status: string;
        n: number;
      }[];
      expect(statuses.map((row) => row.status).sort()).toEqual(["acknowledged", "closed", "open"]);
      const open = statuses.find((row) => row.status === "open")?.n ?? 0;
      expect(open).toBeGreaterThan(alerts / 2);
      expect(count(`SELECT COUNT(DISTINCT ruleId) AS n FROM "Alert"`)).toBeGreaterThan(10);
      expect(count(`SELECT COUNT(DISTINCT severity) AS n FROM "Alert"`)).toBe(4);
      expect(count(`SELECT COUNT(*) AS n FROM "Alert" WHERE status = 'closed' AND closingReason IS NULL`)).toBe(0);
      expect(count(`SELECT COUNT(*) AS n FROM "Alert" WHERE assigneeId IS NOT NULL`)).toBeGreaterThan(0);
      const times = db.prepare(`SELECT MIN(timestamp) AS low, MAX(timestamp) AS high FROM "Alert"`).get() as {
        low: string;
        high: string;
      };
      expect(times.high).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
      expect(Date.parse(times.low)).toBeGreaterThanOrEqual(now - 31 * 86_400_000);
      expect(Date.parse(times.high)).toBeLessThan(now);
    } finally {
      db.close();
    }

    const reference = path.join(dir, "reference.db");
    applyMigrations(reference);
    expect(indexNames(file)).toEqual(indexNames(reference));
  });

  it("refuses a database that already holds alerts", async () => {
    await expect(seedAlertsDatabase(file, { alerts: 1, adminPassword: "bench-admin-password" })).rejects.toThrow(
      /already holds 1234 alerts/,
    );
  });
});
