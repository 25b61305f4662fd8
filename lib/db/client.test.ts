import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../generated/prisma/client";
import { createPrismaClient } from "./client";
import { createTestDatabase } from "./test-database";

let database: ReturnType<typeof createTestDatabase>;
let db: PrismaClient;

beforeAll(() => {
  database = createTestDatabase();
  db = createPrismaClient(database.url);
});
afterAll(async () => {
  await db.$disconnect();
  database.cleanup();
});

describe("Prisma over a real SQLite file", () => {
  it("stores an upload with its events and finds them by the indexed ECS columns", async () => {
    const upload = await db.upload.create({ data: { fileName: "events.ndjson", format: "ecs" } });
    await db.event.createMany({
      data: [1, 2, 3].map((line) => ({
        uploadId: upload.id,
        line,
        contentHash: `hash-${line}`,
        timestamp: new Date(Date.UTC(2026, 10, 23, 6, 0, line)),
        containerId: line === 2 ? "c-2" : "c-1",
        processName: "nc",
        document: JSON.stringify({ line }),
      })),
    });
    const inContainer = await db.event.findMany({ where: { containerId: "c-1" }, orderBy: { timestamp: "asc" } });
    expect(inContainer.map((event) => event.line)).toEqual([1, 3]);
  });

  it("rejects a second copy of the same event (content hash)", async () => {
    const upload = await db.upload.create({ data: { fileName: "again.ndjson", format: "ecs" } });
    await expect(
      db.event.create({
        // identical content has an identical @timestamp
        data: {
          uploadId: upload.id,
          line: 1,
          contentHash: "hash-1",
          timestamp: new Date(Date.UTC(2026, 10, 23, 6, 0, 1)),
          document: "{}",
        },
      }),
    ).rejects.toThrow(/Unique constraint/);
  });

  it("keeps one alert per dedup key and cascades alert data when a rule is deleted", async () => {
    await db.rule.create({
      data: {
        id: "rule-1",
        name: "Test rule",
        description: "d",
        query: "any where true",
        severity: "high",
        riskScore: 73,
      },
    });
    const alert = await db.alert.create({
      data: {
        ruleId: "rule-1",
        ruleName: "Test rule",
        severity: "high",
        severityRank: 3,
        riskScore: 73,
        dedupKey: "rule-1:1",
        timestamp: new Date(),
        notes: { create: { body: "looked at it" } },
      },
    });
    await expect(
      db.alert.create({
        data: {
          ruleId: "rule-1",
          ruleName: "Test rule",
          severity: "high",
          severityRank: 3,
          riskScore: 73,
          dedupKey: "rule-1:1",
          timestamp: new Date(),
        },
      }),
    ).rejects.toThrow(/Unique constraint/);
    await db.rule.delete({ where: { id: "rule-1" } });
    expect(await db.alert.count({ where: { id: alert.id } })).toBe(0);
    expect(await db.alertNote.count({ where: { alertId: alert.id } })).toBe(0);
  });
});
