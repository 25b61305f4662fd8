import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, signedInUser } from "@/lib/auth/test-helpers";
import { eventRow, seedUpload } from "@/lib/db/alert-test-fixtures";
import { storeBatch } from "@/lib/db/batch-writer";
import { prisma } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import { GET } from "./route";

/**
 * The system panel's figures over HTTP, on either database (KEELWATCH_TEST_DATABASE=postgresql runs it on
 * PostgreSQL): the disk used comes from the dialect (the file and its WAL, or pg_database_size), the rest from
 * portable queries.
 */

const database = setUpTestDatabase();
let viewer = "";

beforeAll(async () => {
  viewer = (await signedInUser("vic", "viewer")).cookie;
  const upload = await seedUpload(prisma());
  const rows = [1, 2, 3].map((line) =>
    eventRow(line, {
      timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, line)),
      document: JSON.stringify({ line, text: "a repeated line of text ".repeat(20) }),
    }),
  );
  await storeBatch(upload.id, rows, []);
});
afterEach(() => {
  delete process.env.KEELWATCH_RETENTION_DAYS;
});

async function summary() {
  const response = await GET(apiRequest("/api/system/storage", { cookie: viewer }));
  expect(response.status).toBe(200);
  return response.json();
}

describe("GET /api/system/storage", () => {
  it("needs a signed-in user", async () => {
    expect((await GET(apiRequest("/api/system/storage"))).status).toBe(401);
  });

  it("answers disk used, events kept, blocks and their bytes, with nothing due without a policy", async () => {
    const blocks = await prisma().eventBlock.findMany();
    const body = await summary();
    expect(body).toMatchObject({
      eventsKept: 3,
      oldestEvent: "2026-11-20T10:00:01.000Z",
      blocks: 1,
      blockBytes: blocks[0]?.data.length,
      rawBytes: blocks[0]?.rawBytes,
      eventsNotInBlocks: 0,
      retention: { policy: "events kept for ever", next: null },
    });
    expect(body.rawBytes).toBeGreaterThan(body.blockBytes);
    if (dialect().name === "postgresql") {
      // pg_database_size: the catalogs alone take several MB.
      expect(body.diskBytes).toBeGreaterThan(1024 * 1024);
    } else {
      expect(body.diskBytes).toBe(await dialect().diskBytes(prisma(), database.url));
      expect(body.diskBytes).toBeGreaterThan(body.blockBytes);
    }
  });

  it("says which block retention takes next, and when", async () => {
    process.env.KEELWATCH_RETENTION_DAYS = "30";
    const block = await prisma().eventBlock.findFirstOrThrow();
    const body = await summary();
    expect(body.retention).toMatchObject({
      policy: "events kept 30 days",
      maxDays: 30,
      next: {
        blockId: block.id,
        events: 3,
        storedAt: block.createdAt.toISOString(),
        dueAt: new Date(block.createdAt.getTime() + 30 * 86_400_000).toISOString(),
        firstEvent: "2026-11-20T10:00:01.000Z",
        lastEvent: "2026-11-20T10:00:03.000Z",
      },
    });
  });
});
