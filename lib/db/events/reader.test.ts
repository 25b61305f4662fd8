import { crc32 } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { DetectionRule } from "../../detection/detector";
import { ingestEvents } from "../../ingest/ingest";
import { getAlertDetail } from "../alert-detail";
import { prisma } from "../client";
import { setUpTestDatabase } from "../test-database-hooks";
import { SEGMENT_DOCUMENTS } from "./block-codec.mjs";
import { EventReader, iterateStoredEvents, readEventDocuments, UnreadableEventError } from "./index";

setUpTestDatabase();

const CURL: DetectionRule = {
  id: "test-curl",
  name: "curl in a container",
  severity: "medium",
  riskScore: 47,
  maxAlertsPerRun: 1_000,
  query: 'process where process.name == "curl"',
  eventCategoryField: "event.category",
  timestampField: "@timestamp",
  tiebreakerField: null,
};

function file(prefix: string, count: number, minute: number): string {
  const lines = Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      "@timestamp": new Date(Date.UTC(2026, 10, 23, 6, minute) + index).toISOString(),
      event: { category: ["process"], type: ["start"], action: "exec" },
      container: { id: `${prefix}-container` },
      process: { entity_id: `${prefix}-${index}`, name: index === 0 ? "curl" : "ls", args: ["x", prefix, `${index}`] },
    }),
  );
  return `${lines.join("\n")}\n`;
}

async function ingest(text: string, name: string) {
  async function* body() {
    yield Buffer.from(text);
  }
  return ingestEvents(body(), { fileName: name, format: "auto", rules: [CURL], createdById: null });
}

describe("reading events through their blocks", () => {
  let good: string;
  let damaged: string;

  beforeAll(async () => {
    await prisma().rule.create({ data: { ...CURL, description: "test", tiebreakerField: null } });
    good = (await ingest(file("good", 300, 0), "good.ndjson")).uploadId;
    damaged = (await ingest(file("bad", 300, 10), "bad.ndjson")).uploadId;
  });

  it("stores one block per batch and no document in the event rows", async () => {
    const blocks = await prisma().eventBlock.findMany({ where: { uploadId: good } });
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ count: 300, liveCount: 300, codec: "br-segments" });
    expect(await prisma().event.count({ where: { document: { not: "" } } })).toBe(0);
    const first = await prisma().event.findFirstOrThrow({ where: { uploadId: good, line: 1 } });
    const text = (await readEventDocuments([first.id])).get(first.id);
    expect(JSON.parse(text as string)).toMatchObject({ process: { entity_id: "good-0", name: "curl" } });
  });

  it("unpacks a block once for all the events a request reads from it", async () => {
    const ids = (await prisma().event.findMany({ where: { uploadId: good }, select: { id: true } })).map((r) => r.id);
    const reader = new EventReader();
    const texts = await readEventDocuments(ids, reader);
    expect(texts.size).toBe(300);
    await readEventDocuments(ids.slice(0, 10), reader);
    expect(reader.unpacked).toBe(1);
  });

  it("reads more events at once than the database driver takes parameters in one statement", async () => {
    const many = (await ingest(file("many", 2_600, 20), "many.ndjson")).uploadId;
    const ids = (await prisma().event.findMany({ where: { uploadId: many }, select: { id: true } })).map((r) => r.id);
    const texts = await readEventDocuments(ids);
    expect(texts.size).toBe(2_600);
    expect([...texts.values()].every((text) => typeof text === "string")).toBe(true);
  });

  it("names a damaged block, and reads every other block's events as before", async () => {
    const block = await prisma().eventBlock.findFirstOrThrow({ where: { uploadId: damaged } });
    const bytes = Buffer.from(block.data);
    bytes[10] = (bytes[10] ?? 0) ^ 0x5a;
    await prisma().eventBlock.update({ where: { id: block.id }, data: { data: bytes } });

    const rows = await prisma().event.findMany({ select: { id: true, uploadId: true } });
    const texts = await readEventDocuments(rows.map((row) => row.id));
    for (const row of rows) {
      const text = texts.get(row.id);
      if (row.uploadId !== damaged) expect(typeof text).toBe("string");
      else {
        expect(text).toBeInstanceOf(UnreadableEventError);
        expect((text as Error).message).toMatch(new RegExp(`event block ${block.id} is corrupt`));
      }
    }

    // The alert on the damaged block opens, saying why its event cannot be shown.
    const alert = await prisma().alert.findFirstOrThrow({ where: { uploadId: damaged } });
    const detail = await getAlertDetail(alert.id);
    expect(detail?.events[0]?.unreadable).toMatch(`event block ${block.id} is corrupt`);
    expect(detail?.events[0]?.document).toEqual({});

    // A scan (rule preview) goes past the damaged block and reports it, instead of failing.
    const seen: string[] = [];
    const errors = console.error;
    console.error = (message: string) => seen.push(message);
    try {
      let scanned = 0;
      for await (const _ of iterateStoredEvents({ from: new Date(0), to: new Date(Date.UTC(2030, 0)) })) scanned++;
      expect(scanned).toBe(300 + 2_600);
    } finally {
      console.error = errors;
    }
    expect(seen).toHaveLength(300);
    expect(seen[0]).toMatch(`event block ${block.id} is corrupt`);
  });

  it("a damaged segment makes only its own events unreadable; the rest of its block reads", async () => {
    const upload = (await ingest(file("seg", SEGMENT_DOCUMENTS * 3, 30), "segments.ndjson")).uploadId;
    const block = await prisma().eventBlock.findFirstOrThrow({ where: { uploadId: upload } });
    const data = Buffer.from(block.data);
    // The directory: count, documents a segment, segments, then (end, unpacked size) per segment.
    const directoryBytes = 4 * (3 + 2 * data.readUInt32LE(8));
    data.fill(0x5a, directoryBytes + data.readUInt32LE(12), directoryBytes + data.readUInt32LE(20));
    // A checksum that passes: damage from before it was taken, found only by unpacking.
    await prisma().eventBlock.update({ where: { id: block.id }, data: { data, checksum: crc32(data) | 0 } });

    const rows = await prisma().event.findMany({ where: { uploadId: upload }, select: { id: true, position: true } });
    const texts = await readEventDocuments(rows.map((row) => row.id));
    for (const row of rows) {
      const text = texts.get(row.id);
      const inDamagedSegment = Math.floor((row.position ?? -1) / SEGMENT_DOCUMENTS) === 1;
      if (inDamagedSegment) expect((text as Error).message).toMatch(`event block ${block.id} is corrupt`);
      else expect(JSON.parse(text as string)).toHaveProperty("process.args.1", "seg");
    }
  });
});
