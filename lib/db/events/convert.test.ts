import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../../rules/load";
import { loadSample } from "../../samples/sample-data";
import { getAlertDetail } from "../alert-detail";
import { prisma } from "../client";
import { syncBuiltinRules } from "../rules";
import { setUpTestDatabase } from "../test-database-hooks";
import { unpackBlock } from "./block-codec.mjs";
import { convertLegacyEvents, countLegacyEvents } from "./convert";
import { readEventDocuments } from "./index";

const database = setUpTestDatabase();

/**
 * Turns the stored sample incident back into the layout of a database written
 * before blocks: each document in its Event row, no blocks. The documents are
 * the ones ingest wrote, so this is the database an upgrade meets.
 */
function backToLegacyLayout(file: string): void {
  const db = new Database(file);
  try {
    const blocks = db.prepare(`SELECT "id", "codec", "data", "checksum" FROM "EventBlock"`).all() as {
      id: number;
      codec: string;
      data: Buffer;
      checksum: number;
    }[];
    const events = db.prepare(`SELECT "id", "blockId", "position" FROM "Event"`).all() as {
      id: number;
      blockId: number;
      position: number;
    }[];
    const unpacked = new Map(blocks.map((block) => [block.id, unpackBlock(block)]));
    db.transaction(() => {
      const restore = db.prepare(
        `UPDATE "Event" SET "document" = ?, "blockId" = NULL, "position" = NULL WHERE "id" = ?`,
      );
      for (const event of events) restore.run(unpacked.get(event.blockId)?.document(event.position), event.id);
      db.prepare(`DELETE FROM "EventBlock"`).run();
    })();
  } finally {
    db.close();
  }
}

async function everything() {
  const ids = (await prisma().event.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((row) => row.id);
  const documents = Object.fromEntries(await readEventDocuments(ids));
  const alertIds = await prisma().alert.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const alerts = await Promise.all(alertIds.map((alert) => getAlertDetail(alert.id)));
  return { documents, alerts };
}

describe("converting a database written before event blocks", () => {
  let before: Awaited<ReturnType<typeof everything>>;

  beforeAll(async () => {
    await syncBuiltinRules(await loadBuiltinRules());
    const loaded = await loadSample("ecs", { id: null, label: "test" });
    expect(loaded.report.alerts.created).toBeGreaterThan(0);
    before = await everything();
    backToLegacyLayout(database.file);
  });

  it("reads the legacy layout the same before any conversion", async () => {
    const db = new Database(database.file, { readonly: true });
    expect(countLegacyEvents(db)).toBe(Object.keys(before.documents).length);
    db.close();
    expect(await everything()).toEqual(before);
  });

  it("stops between batches, reads the same half converted, and resumes where it stopped", async () => {
    const total = Object.keys(before.documents).length;
    const seen: number[] = [];
    let batches = 0;
    const first = convertLegacyEvents(database.file, {
      batchSize: 7,
      shouldContinue: () => batches++ < 3,
      onProgress: (progress) => seen.push(progress.converted),
    });
    expect(first).toMatchObject({ converted: 21, total });
    expect(seen).toEqual([7, 14, 21]);
    const half = new Database(database.file, { readonly: true });
    expect(countLegacyEvents(half)).toBe(total - 21);
    half.close();
    expect(await everything()).toEqual(before);

    const rest = convertLegacyEvents(database.file, { batchSize: 500 });
    expect(rest.converted).toBe(total - 21);
    const done = new Database(database.file, { readonly: true });
    expect(countLegacyEvents(done)).toBe(0);
    const emptied = done.prepare(`SELECT count(*) AS n FROM "Event" WHERE "document" <> ''`).get() as { n: number };
    expect(emptied.n).toBe(0);
    done.close();
    // Same alerts, same documents byte for byte, same process trees.
    expect(await everything()).toEqual(before);
    expect(convertLegacyEvents(database.file)).toEqual({ converted: 0, total: 0, blocks: 0 });
  });
});
