import { beforeEach, describe, expect, it } from "vitest";
import type { DetectionRule } from "../../detection/detector";
import { ingestEvents } from "../../ingest/ingest";
import { getAlertDetail } from "../alert-detail";
import { prisma } from "../client";
import { dialect } from "../dialect";
import { setUpTestDatabase } from "../test-database-hooks";
import { readEventDocuments } from "./index";
import { storageSummary } from "./storage-summary";
import { runUpkeepPass } from "./upkeep";

setUpTestDatabase();

const NETWORK_TOOL: DetectionRule = {
  id: "test-network-tool",
  name: "Network tool in a container",
  severity: "medium",
  riskScore: 47,
  maxAlertsPerRun: 100_000,
  query: 'process where process.name == "nc"',
  eventCategoryField: "event.category",
  timestampField: "@timestamp",
  tiebreakerField: null,
};

/** `count` process events, one in `alertEvery` of them a network tool that raises an alert. */
function events(count: number, prefix: string, alertEvery = 50): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) {
    const name = index % alertEvery === 0 ? "nc" : "ls";
    lines.push(
      JSON.stringify({
        "@timestamp": new Date(Date.UTC(2026, 10, 23, 6) + index * 1_000).toISOString(),
        event: { category: ["process"], type: ["start"], action: "exec" },
        container: { id: `${prefix}-c` },
        host: { name: "node-1" },
        process: { entity_id: `${prefix}-${index}`, executable: `/usr/bin/${name}`, name, args: [name, `${index}`] },
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

async function* body(text: string, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.from(text);
  for (let start = 0; start < buffer.length; start += chunkSize) {
    yield buffer.subarray(start, start + chunkSize);
    // Let other work (retention) run between chunks, as a network upload would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function ingest(text: string, fileName: string) {
  return ingestEvents(body(text), { fileName, format: "auto", rules: [NETWORK_TOOL], createdById: null });
}

/** Makes an upload's blocks look stored `days` ago. */
async function age(uploadId: string, days: number) {
  await prisma().eventBlock.updateMany({
    where: { uploadId },
    data: { createdAt: new Date(Date.now() - days * 86_400_000) },
  });
}

async function secondUpload() {
  const upload = await prisma().upload.findFirst({ where: { fileName: "second.ndjson" } });
  return upload && { status: upload.status, stored: await prisma().event.count({ where: { uploadId: upload.id } }) };
}

async function evidence() {
  const links = await prisma().alertEvent.findMany({ select: { eventId: true, alertId: true } });
  return { eventIds: links.map((link) => link.eventId), alertIds: [...new Set(links.map((link) => link.alertId))] };
}

beforeEach(async () => {
  await prisma().alert.deleteMany();
  await prisma().event.deleteMany();
  await prisma().upload.deleteMany();
  await prisma().rule.deleteMany();
  await prisma().rule.create({ data: { ...NETWORK_TOOL, description: "test", tiebreakerField: null } });
});

describe("retention", () => {
  it("removes expired events but keeps every alert's events, readable as before", async () => {
    const old = await ingest(events(2_500, "old"), "old.ndjson");
    const recent = await ingest(events(1_000, "new"), "new.ndjson");
    expect(old.alerts.created).toBe(50);
    await age(old.uploadId, 40);
    const { eventIds, alertIds } = await evidence();
    const documentsBefore = await readEventDocuments(eventIds);
    const detailsBefore = await Promise.all(alertIds.map((id) => getAlertDetail(id)));

    const report = await runUpkeepPass({ maxDays: 30 }, { pauseMs: 0 });
    expect(report.expired.reduce((sum, step) => sum + step.deletedEvents, 0)).toBe(2_450);

    expect(await prisma().event.count({ where: { uploadId: old.uploadId } })).toBe(50);
    expect(await prisma().event.count({ where: { uploadId: recent.uploadId } })).toBe(1_000);
    expect(await readEventDocuments(eventIds)).toEqual(documentsBefore);
    const detailsAfter = await Promise.all(alertIds.map((id) => getAlertDetail(id)));
    expect(detailsAfter.map((detail) => detail?.events)).toEqual(detailsBefore.map((detail) => detail?.events));
    const blocks = await prisma().eventBlock.findMany({ where: { uploadId: old.uploadId } });
    expect(blocks.reduce((sum, block) => sum + block.liveCount, 0)).toBe(50);

    // Nothing more to do: blocks holding only evidence are passed over.
    expect((await runUpkeepPass({ maxDays: 30 }, { pauseMs: 0 })).expired).toEqual([]);
  });

  it("deletes a block whose alerts are gone, and the events of deleted alerts with it", async () => {
    const old = await ingest(events(500, "old"), "old.ndjson");
    await prisma().alert.deleteMany();
    await age(old.uploadId, 40);
    await runUpkeepPass({ maxDays: 30 }, { pauseMs: 0 });
    expect(await prisma().event.count()).toBe(0);
    expect(await prisma().eventBlock.count()).toBe(0);
  });

  it("under a size limit, removes the oldest blocks first and never an upload still being received", async () => {
    const first = await ingest(events(4_000, "first"), "first.ndjson");
    // Retention races an upload: passes run while the second file is being received, and none of them
    // takes an event of it while it is received (its status is read before and after each pass).
    let receiving = true;
    const racing = (async () => {
      let checkedPasses = 0;
      while (receiving) {
        const before = await secondUpload();
        await runUpkeepPass({ maxBytes: 1 }, { pauseMs: 0 });
        const after = await secondUpload();
        if (before?.status === "receiving" && after?.status === "receiving") {
          expect(after.stored).toBeGreaterThanOrEqual(before.stored);
          checkedPasses++;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return checkedPasses;
    })();
    const second = await ingest(events(6_000, "second"), "second.ndjson");
    receiving = false;
    expect(await racing).toBeGreaterThan(0);
    expect(second.events).toMatchObject({ received: 6_000, accepted: 6_000, rejected: 0 });
    expect(second.alerts.created).toBe(120);
    expect(await prisma().event.count({ where: { uploadId: first.uploadId } })).toBe(80);

    await runUpkeepPass({ maxBytes: 1 }, { pauseMs: 0 });
    expect(await prisma().event.count({ where: { uploadId: second.uploadId } })).toBe(120);
    const { eventIds } = await evidence();
    const readable = await readEventDocuments(eventIds);
    expect([...readable.values()].every((text) => typeof text === "string")).toBe(true);
    expect(readable.size).toBe(200);
  });

  it("under a size limit, removes the oldest blocks only until the database holds less than it", async () => {
    const uploads = [];
    for (const name of ["a", "b", "c", "d"]) uploads.push(await ingest(events(4_000, name, 4_000), `${name}.ndjson`));
    // What the limit compares with must drop as blocks go: on PostgreSQL not the relations' sizes, which a DELETE
    // does not lower (measured: with them, the pass removed all 8 blocks without getting under the limit).
    const full = await dialect().usedBytes(prisma());
    // Half of an upload's share over the limit: the oldest upload has to go, the newest must stay.
    const limit = Math.round(full - full / 8);
    const report = await runUpkeepPass({ maxBytes: limit }, { pauseMs: 0 });
    const used = await dialect().usedBytes(prisma());
    expect(used).toBeLessThanOrEqual(limit);
    expect(await prisma().event.count({ where: { uploadId: uploads[0]!.uploadId } })).toBe(1);
    expect(await prisma().event.count({ where: { uploadId: uploads[3]!.uploadId } })).toBe(4_000);
    expect(report.expired.length).toBeGreaterThan(0);
  });

  it("tells the dashboard what is kept and what retention takes next, and when", async () => {
    const old = await ingest(events(300, "old"), "old.ndjson");
    await ingest(events(200, "new"), "new.ndjson");
    await age(old.uploadId, 20);
    const summary = await storageSummary({ maxDays: 30 });
    expect(summary).toMatchObject({ eventsKept: 500, blocks: 2, eventsNotInBlocks: 0 });
    expect(summary.oldestEvent).toBe("2026-11-23T06:00:00.000Z");
    expect(summary.diskBytes).toBeGreaterThan(0);
    expect(summary.rawBytes / summary.blockBytes).toBeGreaterThan(2);
    expect(summary.retention.policy).toBe("events kept 30 days");
    const storedAt = (await prisma().eventBlock.findFirstOrThrow({ where: { uploadId: old.uploadId } })).createdAt;
    expect(summary.retention.next).toMatchObject({
      events: 300,
      dueAt: new Date(storedAt.getTime() + 30 * 86_400_000).toISOString(),
    });
    expect((await storageSummary({})).retention.next).toBeNull();
  });
});
