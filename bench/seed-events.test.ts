import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { unpackBlock } from "../lib/db/events/block-codec.mjs";
import { applyMigrations } from "../lib/db/migrate";
import { generateEvents } from "./generate";
import { seedEventsDatabase } from "./seed-events";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-seed-events-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generateEvents with a timeScale", () => {
  it("gives the same events, only further apart", () => {
    const plain = generateEvents({ start: 0 });
    const stretched = generateEvents({ start: 0, timeScale: 100 });
    type Generated = { "@timestamp": string; process: { entity_id: string } };
    for (let index = 0; index < 200; index++) {
      const a = plain.next().value as Generated;
      const b = stretched.next().value as Generated;
      expect(b.process.entity_id).toBe(a.process.entity_id);
      expect(Date.parse(b["@timestamp"])).toBe(Date.parse(a["@timestamp"]) * 100);
    }
  });
});

describe("seedEventsDatabase", () => {
  const file = path.join(dir, "events.db");
  const events = 4_321; // not a multiple of the block size
  const now = Date.UTC(2026, 11, 1);
  const seed = seedEventsDatabase(file, { events, now, alerts: 5 });
  const db = new Database(file, { readonly: true });
  afterAll(() => db.close());

  it("stores every event in blocks of 2,000 over the 30 days before now, with the migrations' indexes", () => {
    expect(seed).toMatchObject({ events, blocks: 3 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "Event" WHERE "blockId" IS NOT NULL`).get()).toEqual({ n: events });
    expect(Date.parse(seed.first)).toBeGreaterThanOrEqual(now - 31 * 86_400_000);
    expect(Date.parse(seed.last)).toBeLessThan(now);
    expect(Date.parse(seed.last) - Date.parse(seed.first)).toBeGreaterThan(25 * 86_400_000);
    const names = (database: Database.Database) =>
      (
        database.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`).all() as {
          name: string;
        }[]
      )
        .map((row) => row.name)
        .join(",");
    const fresh = path.join(dir, "fresh.db");
    applyMigrations(fresh);
    const migrated = new Database(fresh, { readonly: true });
    expect(names(db)).toBe(names(migrated));
    migrated.close();
  });

  it("stores each document as the generator wrote it, with the slim columns the ingest makes", () => {
    const rows = db
      .prepare(
        `SELECT e."position", e."category", e."type", e."action", e."processName", e."containerId", e."timestamp",
           b."id", b."codec", b."data", b."checksum"
         FROM "Event" e JOIN "EventBlock" b ON b."id" = e."blockId" WHERE e."id" IN (1, 2001, 4321) ORDER BY e."id"`,
      )
      .all() as {
      position: number;
      category: string;
      type: string;
      action: string;
      processName: string;
      containerId: string;
      timestamp: string;
      id: number;
      codec: string;
      data: Buffer;
      checksum: number;
    }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const document = JSON.parse(unpackBlock(row)?.document(row.position) ?? "null");
      expect(row.category).toBe(document.event.category.join(","));
      expect(row.type).toBe(document.event.type.join(","));
      expect(row.action).toBe(document.event.action);
      expect(row.processName).toBe(document.process.name);
      expect(row.containerId).toBe(document.container.id);
      expect(Date.parse(row.timestamp)).toBe(Date.parse(document["@timestamp"]));
    }
  });

  it("raises alerts on network tools, each linked to its event", () => {
    expect(seed.alerts.length).toBeGreaterThanOrEqual(4);
    const linked = db
      .prepare(
        `SELECT a."processName", a."containerId", e."containerId" AS eventContainer, e."action"
         FROM "Alert" a JOIN "AlertEvent" l ON l."alertId" = a."id" JOIN "Event" e ON e."id" = l."eventId"`,
      )
      .all() as { processName: string; containerId: string; eventContainer: string; action: string }[];
    expect(linked).toHaveLength(seed.alerts.length);
    for (const row of linked) {
      expect(["nc", "nmap", "dig", "nslookup", "tcpdump", "telnet", "socat"]).toContain(row.processName);
      expect(row.containerId).toBe(row.eventContainer);
      expect(row.action).toBe("exec");
    }
  });
});
