/**
 * Issue 20's target "exception preview over 30 days no slower than today": the preview scans every stored event of
 * the window through the event store (lib/db/exceptions.ts previewException). "Today" is the layout before event
 * blocks, each document in its Event row, which the store still reads (databases not yet converted). The same
 * seeded events are measured both ways: the investigate bench's database as stored (blocks), and a copy whose
 * documents are moved back into their rows. Each measurement runs in its own node process, without a server, so no
 * background conversion moves the rows into blocks while it is measured.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { unpackBlock } from "../lib/db/events/block-codec.mjs";
import { runBenchChild } from "./measure-child";

const RESULT_PREFIX = "exception-preview-result ";

export interface PreviewMeasurement {
  /** wall time of each run, the first cold (milliseconds) */
  elapsedMs: number[];
  /** CPU time of each run (user + system, milliseconds) */
  cpuMs: number[];
  eventsScanned: number;
  eventsSuppressed: number;
}

/** A copy of `source` with every document back in its Event row and no blocks: the layout before issue 20. */
export function rowLayoutCopy(source: string, target: string): void {
  fs.copyFileSync(source, target);
  const db = new Database(target);
  // A second connection reads the blocks while the first writes the rows (WAL: the reader keeps its snapshot).
  const reader = new Database(target, { readonly: true });
  try {
    db.pragma("journal_mode = WAL");
    const update = db.prepare(`UPDATE "Event" SET "document" = ?, "blockId" = NULL, "position" = NULL WHERE "id" = ?`);
    const write = db.transaction((items: { id: number; document: string }[]) => {
      for (const item of items) update.run(item.document, item.id);
    });
    const positions = reader.prepare(`SELECT "id", "position" FROM "Event" WHERE "blockId" = ?`);
    const blocks = reader
      .prepare(`SELECT "id", "codec", "data", "checksum", "rawBytes" FROM "EventBlock"`)
      .iterate() as Iterable<{ id: number; codec: string; data: Buffer; checksum: number; rawBytes: number }>;
    let pending: { id: number; document: string }[] = [];
    for (const block of blocks) {
      const unpacked = unpackBlock(block);
      for (const row of positions.all(block.id) as { id: number; position: number }[]) {
        pending.push({ id: row.id, document: unpacked.document(row.position) ?? "{}" });
      }
      if (pending.length >= 50_000) {
        write(pending);
        pending = [];
      }
    }
    write(pending);
    reader.close();
    db.exec(`DELETE FROM "EventBlock"`);
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    if (reader.open) reader.close();
    db.close();
  }
}

/** Runs the preview `runs` times over `databaseFile` in a fresh node process. */
export function measurePreview(
  databaseFile: string,
  options: { ruleId: string; processName: string; now: string; days: number; runs: number },
): Promise<PreviewMeasurement> {
  return runBenchChild<PreviewMeasurement>(
    "exception-preview.ts",
    { databaseFile, ...options },
    { resultPrefix: RESULT_PREFIX, label: "exception preview" },
  );
}

async function childMain(spec: {
  databaseFile: string;
  ruleId: string;
  processName: string;
  now: string;
  days: number;
  runs: number;
}): Promise<void> {
  process.env.DATABASE_URL = `file:${spec.databaseFile}`;
  const { previewException } = await import("../lib/db/exceptions");
  const result: PreviewMeasurement = { elapsedMs: [], cpuMs: [], eventsScanned: 0, eventsSuppressed: 0 };
  for (let run = 0; run < spec.runs; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const preview = await previewException(
      {
        scope: { ruleId: spec.ruleId },
        groups: [[{ field: "process.name", operator: "is", value: spec.processName }]],
      },
      { days: spec.days, now: new Date(spec.now) },
    );
    result.elapsedMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    result.cpuMs.push((used.user + used.system) / 1000);
    result.eventsScanned = preview.eventsScanned;
    result.eventsSuppressed = preview.rules.reduce((sum, rule) => sum + rule.eventsSuppressed, 0);
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  process.exit(0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename) && process.argv[2]) {
  await childMain(JSON.parse(process.argv[2]));
}
