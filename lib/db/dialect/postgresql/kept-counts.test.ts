import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../../generated/prisma/client";
import { createPrismaClient } from "../../client";
import { createTestDatabase } from "../../test-database";
import { applyPostgresMigrations } from "./migrate";
import { createTestPostgresDatabase } from "./test-cluster";

/**
 * The PL/pgSQL triggers (prisma/postgresql/migrations/*_kept_counts) against the SQLite triggers they translate:
 * the same writes through Prisma on both databases must leave the same kept rows.
 */

let sqlite: PrismaClient;
let postgres: PrismaClient;
let cleanup: () => void;

beforeAll(async () => {
  const file = createTestDatabase();
  cleanup = file.cleanup;
  sqlite = createPrismaClient(file.url);
  const url = await createTestPostgresDatabase();
  await applyPostgresMigrations(url);
  postgres = createPrismaClient(url);
});
afterAll(async () => {
  await sqlite?.$disconnect();
  await postgres?.$disconnect();
  cleanup?.();
});

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute));

/** The same writes on one database: alerts raised, triaged, moved and deleted. */
async function writeAlerts(db: PrismaClient): Promise<void> {
  await db.rule.createMany({
    data: [
      { id: "r1", name: "Shell", description: "", query: "q", severity: "high", riskScore: 73 },
      { id: "r2", name: "Netcat", description: "", query: "q", severity: "low", riskScore: 21 },
    ],
  });
  const base = { ruleName: "Shell", severity: "high", severityRank: 3, riskScore: 73 };
  const rows = [
    {
      id: "a1",
      ruleId: "r1",
      timestamp: at(20, 10, 5),
      containerId: "c1",
      containerName: "web",
      imageName: "nginx",
      hostName: "h1",
    },
    {
      id: "a2",
      ruleId: "r1",
      timestamp: at(20, 10, 50),
      containerId: "c1",
      containerName: "web-renamed",
      imageName: "nginx",
      hostName: "h1",
    },
    {
      id: "a3",
      ruleId: "r2",
      timestamp: at(20, 23, 59),
      containerId: null,
      containerName: null,
      imageName: null,
      hostName: null,
    },
    {
      id: "a4",
      ruleId: "r2",
      timestamp: at(21, 0, 1),
      containerId: "c2",
      containerName: "db",
      imageName: "postgres",
      hostName: "h2",
    },
    {
      id: "a5",
      ruleId: "r1",
      timestamp: at(21, 7),
      containerId: "c2",
      containerName: "db",
      imageName: null,
      hostName: "h2",
    },
  ];
  for (const row of rows) {
    await db.alert.create({
      data: {
        ...base,
        ...(row.ruleId === "r2" ? { ruleName: "Netcat", severity: "low", severityRank: 1, riskScore: 21 } : {}),
        ...row,
        dedupKey: row.id,
        createdAt: at(22, 8),
      },
    });
  }
  await db.alert.update({ where: { id: "a1" }, data: { status: "acknowledged", acknowledgedAt: at(22, 8, 30) } });
  await db.alert.update({
    where: { id: "a2" },
    data: { status: "closed", closedAt: at(22, 10), acknowledgedAt: at(22, 9, 15), closingReason: "benign" },
  });
  await db.alert.update({ where: { id: "a4" }, data: { containerId: "c3", containerName: "cache", hostName: null } });
  await db.alert.update({ where: { id: "a5" }, data: { ruleName: "Shell v2" } });
  // a write that sets the counted columns to what they hold changes nothing
  await db.alert.update({ where: { id: "a5" }, data: { status: "open" } });
  await db.alert.delete({ where: { id: "a3" } });
}

async function keptRows(db: PrismaClient) {
  const rollup = await db.alertRollup.findMany({ orderBy: [{ hour: "asc" }, { dimension: "asc" }, { key: "asc" }] });
  const groups = await db.alertGroupCount.findMany({
    orderBy: [{ dimension: "asc" }, { status: "asc" }, { hasKey: "asc" }, { key: "asc" }],
  });
  return {
    // SQLite keeps a row whose count went back to 0; PostgreSQL too (the same upserts): compare all rows.
    rollup: rollup.map((row) => ({ ...row, minutes: Math.round(row.minutes * 1000) / 1000 })),
    groups,
  };
}

describe("kept counts on PostgreSQL", () => {
  it("AlertRollup and AlertGroupCount end as SQLite's triggers leave them", async () => {
    await writeAlerts(sqlite);
    await writeAlerts(postgres);
    const expected = await keptRows(sqlite);
    const actual = await keptRows(postgres);
    expect(expected.rollup.length).toBeGreaterThan(10);
    expect(actual.rollup).toEqual(expected.rollup);
    expect(actual.groups).toEqual(expected.groups);
    // spot checks that do not lean on SQLite: minutes to acknowledge, the renamed rule's label, the moved alert
    expect(actual.rollup).toContainEqual({
      hour: "2026-11-20T10",
      dimension: "ack",
      key: "",
      label: null,
      count: 2,
      minutes: 105,
    });
    expect(actual.rollup).toContainEqual(
      expect.objectContaining({ hour: "2026-11-21T07", dimension: "rule", key: "r1", label: "Shell v2", count: 1 }),
    );
    expect(actual.groups).toContainEqual({ dimension: "container", status: "open", hasKey: true, key: "c3", count: 1 });
  });

  it("Process keeps each process's earliest event, filling what it lacks from later ones", async () => {
    for (const db of [sqlite, postgres]) {
      const upload = await db.upload.create({ data: { fileName: "p.ndjson", format: "ecs" } });
      const event = (line: number, timestamp: Date, fields: Record<string, string | null>) =>
        db.event.create({
          data: {
            uploadId: upload.id,
            line,
            contentHash: `h${line}`,
            timestamp,
            document: "{}",
            entityId: "p1",
            ...fields,
          },
        });
      await event(1, at(20, 10, 30), { processName: "sh", parentEntityId: null, processExecutable: null });
      await event(2, at(20, 10, 10), { processName: null, parentEntityId: null, processExecutable: "/bin/sh" });
      await event(3, at(20, 10, 40), { processName: "ignored", parentEntityId: "p0", processExecutable: "/ignored" });
    }
    const row = async (db: PrismaClient) => {
      const process = await db.process.findUniqueOrThrow({ where: { entityId: "p1" }, include: { event: true } });
      return { ...process, eventId: undefined, event: process.event.line };
    };
    const onPostgres = await row(postgres);
    expect(onPostgres).toEqual(await row(sqlite));
    expect(onPostgres).toMatchObject({
      timestamp: at(20, 10, 10),
      event: 2,
      processName: "sh",
      processExecutable: "/bin/sh",
      parentEntityId: "p0",
    });
  });

  it("queues a notification for a new alert only while a notification rule is enabled", async () => {
    const alert = (id: string) => ({
      id,
      ruleId: "r1",
      ruleName: "Shell",
      severity: "high",
      severityRank: 3,
      riskScore: 73,
      dedupKey: id,
      timestamp: at(23, 1),
    });
    await postgres.alert.create({ data: alert("quiet") });
    expect(await postgres.notificationOutbox.count()).toBe(0);
    await postgres.notificationRule.create({ data: { name: "all" } });
    await postgres.alert.create({ data: alert("loud") });
    expect((await postgres.notificationOutbox.findMany()).map((row) => row.alertId)).toEqual(["loud"]);
  });

  it("moves detection.version on every write to rules, exceptions and value lists", async () => {
    const version = async () =>
      Number((await postgres.appSetting.findUniqueOrThrow({ where: { key: "detection.version" } })).value);
    const writes: (() => Promise<unknown>)[] = [
      () => postgres.rule.update({ where: { id: "r2" }, data: { enabled: false } }),
      () => postgres.exceptionList.create({ data: { id: "l1", name: "quiet" } }),
      () => postgres.ruleExceptionList.create({ data: { ruleId: "r2", listId: "l1" } }),
      () => postgres.exceptionItem.create({ data: { listId: "l1", name: "i", conditions: "[]" } }),
      () => postgres.valueList.create({ data: { id: "v1", name: "hosts" } }),
      () => postgres.valueListItem.create({ data: { listId: "v1", value: "node-1" } }),
      () => postgres.valueList.delete({ where: { id: "v1" } }),
      () => postgres.appSetting.create({ data: { key: "eql.field_mapping", value: "{}" } }),
      () => postgres.appSetting.update({ where: { key: "eql.field_mapping" }, data: { value: '{"a":"keyword"}' } }),
      () => postgres.appSetting.delete({ where: { key: "eql.field_mapping" } }),
    ];
    for (const write of writes) {
      const before = await version();
      await write();
      expect(await version()).toBeGreaterThan(before);
    }
    const before = await version();
    await postgres.alert.update({ where: { id: "a1" }, data: { status: "closed" } });
    await postgres.appSetting.create({ data: { key: "public_url", value: "https://keelwatch.example" } });
    expect(await version()).toBe(before);
  });
});
