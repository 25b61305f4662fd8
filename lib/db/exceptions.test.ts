import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { compileExceptions, type ExceptionItemInput } from "../exceptions";
import { seedAlert, seedEvent, seedRule, seedUpload } from "./alert-test-fixtures";
import { prisma } from "./client";
import {
  closeMatchingAlerts,
  createExceptionItem,
  createExceptionList,
  createValueList,
  deleteExceptionItem,
  ExceptionStoreError,
  exportExceptions,
  importExceptions,
  listExceptionItems,
  listExceptionLists,
  loadActiveExceptions,
  previewException,
  updateExceptionItem,
  updateExceptionList,
} from "./exceptions";
import { createTestDatabase } from "./test-database";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
afterAll(() => database.cleanup());

const actor = { id: null, label: "tester", ip: "127.0.0.1" };
const NOW = new Date("2026-11-23T12:00:00Z");

function doc(name: string, image: string, timestamp = "2026-11-23T06:00:00Z", user = "root") {
  return {
    "@timestamp": timestamp,
    event: { category: ["process"], type: ["start"] },
    container: { image: { name: image } },
    process: { name, executable: `/usr/bin/${name}`, args: [name, "-l"] },
    user: { name: user },
  };
}

const ncInBackup = (ruleId: string): ExceptionItemInput => ({
  name: "Backup image runs nc",
  scope: { ruleId },
  groups: [
    [
      { field: "process.name", operator: "is", value: "nc" },
      { field: "container.image.name", operator: "matches", value: "backup*" },
    ],
  ],
});

let line = 0;
async function event(uploadId: string, document: Record<string, unknown>) {
  line++;
  return seedEvent(prisma(), uploadId, line, document);
}

beforeEach(async () => {
  const db = prisma();
  await db.alert.deleteMany();
  await db.event.deleteMany();
  await db.upload.deleteMany();
  await db.exceptionItem.deleteMany();
  await db.exceptionList.deleteMany();
  await db.valueList.deleteMany();
  await db.rule.deleteMany();
  await db.auditLog.deleteMany();
});

describe("items", () => {
  it("creates, updates and deletes an item with audit entries and comments", async () => {
    const rule = await seedRule(prisma(), { id: "rule-nc" });
    const created = await createExceptionItem({ ...ncInBackup(rule.id), comment: "Nightly backup uses nc" }, actor);
    expect(created).toMatchObject({
      name: "Backup image runs nc",
      scope: { kind: "rule", ruleId: "rule-nc", ruleName: rule.name },
      expired: false,
      comments: [{ body: "Nightly backup uses nc", author: null }],
    });
    expect(created.groups[0]).toHaveLength(2);

    const updated = await updateExceptionItem(
      created.id,
      { name: "Renamed", expiresAt: "2026-11-01T00:00:00Z", comment: "expire it" },
      actor,
    );
    expect(updated).toMatchObject({ name: "Renamed", expired: true, expiresAt: "2026-11-01T00:00:00.000Z" });
    expect(updated.comments.map((c) => c.body)).toEqual(["Nightly backup uses nc", "expire it"]);

    await deleteExceptionItem(created.id, actor);
    expect(await listExceptionItems()).toEqual([]);
    const audit = await prisma().auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["exception.create", "exception.update", "exception.delete"]);
    expect(audit.every((a) => a.targetId === created.id && a.actorLabel === "tester")).toBe(true);
  });

  it("refuses an unknown rule, list or value list, naming the field", async () => {
    await expect(createExceptionItem(ncInBackup("nope"), actor)).rejects.toMatchObject({
      status: 400,
      field: "scope.ruleId",
    });
    await expect(createExceptionItem({ ...ncInBackup("x"), scope: { listId: "nope" } }, actor)).rejects.toMatchObject({
      field: "scope.listId",
    });
    await seedRule(prisma(), { id: "rule-nc" });
    await expect(
      createExceptionItem(
        {
          ...ncInBackup("rule-nc"),
          groups: [
            [
              { field: "a", operator: "exists" },
              { field: "b", operator: "in_list", listId: "vl" },
            ],
          ],
        },
        actor,
      ),
    ).rejects.toMatchObject({ field: "groups.0.1.listId" });
    await expect(updateExceptionItem("missing", { name: "x" }, actor)).rejects.toBeInstanceOf(ExceptionStoreError);
  });

  it("filters by rule (own and attached lists), list and expiry", async () => {
    await seedRule(prisma(), { id: "rule-a" });
    await seedRule(prisma(), { id: "rule-b" });
    const list = await createExceptionList({ name: "Shared", ruleIds: ["rule-b"] }, actor);
    const own = await createExceptionItem({ ...ncInBackup("rule-a"), name: "own" }, actor);
    const shared = await createExceptionItem({ ...ncInBackup("x"), name: "shared", scope: { listId: list.id } }, actor);
    const old = await createExceptionItem(
      { ...ncInBackup("rule-b"), name: "old", expiresAt: "2026-01-01T00:00:00Z" },
      actor,
    );
    const names = (items: { name: string }[]) => items.map((i) => i.name).sort();
    expect(names(await listExceptionItems({ ruleId: "rule-a" }, NOW))).toEqual(["own"]);
    expect(names(await listExceptionItems({ ruleId: "rule-b" }, NOW))).toEqual(["old", "shared"]);
    expect(names(await listExceptionItems({ listId: list.id }, NOW))).toEqual(["shared"]);
    expect(names(await listExceptionItems({ expired: true }, NOW))).toEqual(["old"]);
    expect(names(await listExceptionItems({ expired: false }, NOW))).toEqual(["own", "shared"]);
    expect(own.id && shared.id && old.id).toBeTruthy();
    expect((await listExceptionLists())[0]).toMatchObject({ name: "Shared", itemCount: 1, rules: [{ id: "rule-b" }] });
  });
});

describe("lists", () => {
  it("refuses a duplicate name and unknown rules; replaces attached rules", async () => {
    await seedRule(prisma(), { id: "rule-a" });
    await seedRule(prisma(), { id: "rule-b" });
    const list = await createExceptionList({ name: "L", ruleIds: ["rule-a"] }, actor);
    await expect(createExceptionList({ name: "L" }, actor)).rejects.toMatchObject({ status: 409 });
    await expect(createExceptionList({ name: "M", ruleIds: ["rule-a", "zzz"] }, actor)).rejects.toMatchObject({
      field: "ruleIds.1",
    });
    const updated = await updateExceptionList(list.id, { ruleIds: ["rule-b"] }, actor);
    expect(updated.rules.map((r) => r.id)).toEqual(["rule-b"]);
  });
});

describe("loadActiveExceptions", () => {
  it("returns what compileExceptions needs: own items, attached list items, value lists; no expired items", async () => {
    await seedRule(prisma(), { id: "rule-a" });
    await seedRule(prisma(), { id: "rule-b" });
    const tools = await createValueList("tools", "curl\nwget\n\n", actor);
    expect(tools.valueCount).toBe(2);
    const list = await createExceptionList({ name: "Shared", ruleIds: ["rule-a"] }, actor);
    await createExceptionItem(
      {
        name: "tools",
        scope: { listId: list.id },
        groups: [[{ field: "process.name", operator: "in_list", listId: tools.id }]],
      },
      actor,
    );
    await createExceptionItem({ ...ncInBackup("rule-a"), name: "own" }, actor);
    await createExceptionItem({ ...ncInBackup("rule-a"), name: "expired", expiresAt: "2026-11-23T11:00:00Z" }, actor);
    await createExceptionItem({ ...ncInBackup("rule-b"), name: "other rule" }, actor);

    const active = await loadActiveExceptions(["rule-a"], NOW);
    expect(active.items.map((i) => i.name).sort()).toEqual(["own", "tools"]);
    expect(active.attachments).toEqual([{ ruleId: "rule-a", listId: list.id }]);
    expect([...(active.valueLists.get(tools.id) ?? [])].sort()).toEqual(["curl", "wget"]);

    const compiled = compileExceptions(active, { now: NOW });
    expect(compiled.match("rule-a", doc("curl", "web"))?.name).toBe("tools");
    expect(compiled.match("rule-a", doc("nc", "backup:2"))?.name).toBe("own");
    expect(compiled.match("rule-a", doc("nc", "web"))).toBeNull();
    expect(compiled.match("rule-b", doc("curl", "web"))).toBeNull();
  });

  it("is empty for no rules", async () => {
    expect((await loadActiveExceptions([], NOW)).items).toEqual([]);
  });
});

describe("closeMatchingAlerts", () => {
  it("closes open alerts of the rule whose event matches, with history and version bump, in one go", async () => {
    const rule = await seedRule(prisma(), { id: "rule-nc" });
    const other = await seedRule(prisma(), { id: "rule-other" });
    const upload = await seedUpload(prisma());
    const backup = await event(upload.id, doc("nc", "backup:1"));
    const web = await event(upload.id, doc("nc", "web"));
    const covered = await seedAlert(prisma(), { ruleId: rule.id, eventIds: [backup.id] });
    const acknowledged = await seedAlert(prisma(), { ruleId: rule.id, eventIds: [web.id, backup.id] });
    await prisma().alert.update({ where: { id: acknowledged.id }, data: { status: "acknowledged" } });
    const notCovered = await seedAlert(prisma(), { ruleId: rule.id, eventIds: [web.id] });
    const otherRule = await seedAlert(prisma(), { ruleId: other.id, eventIds: [backup.id] });
    const alreadyClosed = await seedAlert(prisma(), { ruleId: rule.id, eventIds: [backup.id] });
    await prisma().alert.update({
      where: { id: alreadyClosed.id },
      data: { status: "closed", closingReason: "true_positive" },
    });

    const item = await createExceptionItem(ncInBackup(rule.id), actor);
    const result = await closeMatchingAlerts(item.id, "user-1", { label: "tester" });
    expect(result.closed).toBe(2);
    expect(result.alertIds.sort()).toEqual([covered.id, acknowledged.id].sort());

    const rows = await prisma().alert.findMany({ include: { changes: true } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of [covered.id, acknowledged.id]) {
      expect(byId.get(id)).toMatchObject({
        status: "closed",
        closingReason: "false_positive",
        closedByExceptionId: item.id,
        version: 2,
      });
      expect(byId.get(id)?.closedAt).toBeInstanceOf(Date);
      expect(byId.get(id)?.changes).toMatchObject([
        { field: "status", toValue: "closed", reason: "false_positive", actorId: "user-1" },
      ]);
    }
    expect(byId.get(acknowledged.id)?.changes[0]?.fromValue).toBe("acknowledged");
    for (const id of [notCovered.id, otherRule.id]) expect(byId.get(id)).toMatchObject({ status: "open", version: 1 });
    expect(byId.get(alreadyClosed.id)).toMatchObject({ closingReason: "true_positive", version: 1 });
    expect(await prisma().auditLog.count({ where: { action: "exception.close_alerts" } })).toBe(1);

    expect((await closeMatchingAlerts(item.id, "user-1")).closed).toBe(0);
  });
});

describe("previewException", () => {
  it("counts alerts to close and events each scoped rule would not have alerted on, with samples", async () => {
    const rule = await seedRule(prisma(), { id: "rule-nc" }); // process where process.name == "nc"
    const upload = await seedUpload(prisma());
    const inWindow = "2026-11-23T06:00:00Z";
    const backupEvents = [];
    for (let i = 0; i < 7; i++) backupEvents.push(await event(upload.id, doc("nc", `backup:${i}`, inWindow)));
    await event(upload.id, doc("nc", "web", inWindow)); // rule matches, exception does not
    await event(upload.id, doc("curl", "backup:1", inWindow)); // exception half-matches, rule does not
    await event(upload.id, doc("nc", "backup:old", "2026-11-10T00:00:00Z")); // outside a 7-day window
    await seedAlert(prisma(), { ruleId: rule.id, eventIds: [(backupEvents[0] as { id: number }).id] });

    const preview = await previewException(ncInBackup(rule.id), { days: 7, now: NOW });
    expect(preview).toMatchObject({
      days: 7,
      eventsScanned: 9,
      eventsMatched: 7,
      alertsToClose: { count: 1 },
      rules: [{ ruleId: "rule-nc", eventsSuppressed: 7 }],
    });
    expect(preview.rules[0]?.sample).toHaveLength(5);
    expect(preview.alertsToClose.sample[0]).toMatchObject({ ruleId: "rule-nc", status: "open" });

    const wider = await previewException(ncInBackup(rule.id), { days: 30, now: NOW });
    expect(wider.rules[0]?.eventsSuppressed).toBe(8);

    // nothing was written
    expect(await prisma().exceptionItem.count()).toBe(0);
    expect(await prisma().alert.count({ where: { status: "closed" } })).toBe(0);
  });

  it("covers every rule a shared list is attached to and reports a rule whose query cannot run", async () => {
    await seedRule(prisma(), { id: "rule-nc" });
    await prisma().rule.create({
      data: {
        id: "rule-broken",
        name: "Broken",
        description: "",
        query: "process where (",
        severity: "low",
        riskScore: 1,
      },
    });
    const list = await createExceptionList({ name: "Shared", ruleIds: ["rule-nc", "rule-broken"] }, actor);
    const upload = await seedUpload(prisma());
    await event(upload.id, doc("nc", "backup:1"));
    const preview = await previewException({ ...ncInBackup("x"), scope: { listId: list.id } }, { days: 7, now: NOW });
    const byRule = new Map(preview.rules.map((r) => [r.ruleId, r]));
    expect(byRule.get("rule-nc")?.eventsSuppressed).toBe(1);
    expect(byRule.get("rule-broken")).toMatchObject({ eventsSuppressed: 0 });
    expect(byRule.get("rule-broken")?.error).toBeTruthy();
  });

  it("reads events in batches across many rows", async () => {
    await seedRule(prisma(), { id: "rule-nc" });
    const upload = await seedUpload(prisma());
    const rows = Array.from({ length: 2_500 }, (_, i) => ({
      uploadId: upload.id,
      line: 10_000 + i,
      contentHash: `bulk-${i}`,
      timestamp: new Date(Date.parse("2026-11-23T00:00:00Z") + i * 1000),
      document: JSON.stringify(
        doc(
          "nc",
          i % 2 === 0 ? "backup:x" : "web",
          new Date(Date.parse("2026-11-23T00:00:00Z") + i * 1000).toISOString(),
        ),
      ),
    }));
    await prisma().event.createMany({ data: rows });
    const preview = await previewException(ncInBackup("rule-nc"), { days: 1, now: NOW });
    expect(preview.eventsScanned).toBe(2_500);
    expect(preview.rules[0]?.eventsSuppressed).toBe(1_250);
  });
});

describe("value lists", () => {
  it("refuses an empty file and a duplicate name", async () => {
    await expect(createValueList("empty", "\n\n", actor)).rejects.toMatchObject({ status: 400, field: "text" });
    await createValueList("tools", "nc", actor);
    await expect(createValueList("tools", "curl", actor)).rejects.toMatchObject({ status: 409 });
  });
});

describe("NDJSON export and import", () => {
  it("round-trips lists and items, reporting bad lines", async () => {
    await seedRule(prisma(), { id: "rule-a" });
    const list = await createExceptionList({ name: "Shared", ruleIds: ["rule-a"] }, actor);
    await createExceptionItem({ ...ncInBackup("rule-a"), name: "own", expiresAt: "2027-01-01T00:00:00Z" }, actor);
    await createExceptionItem({ ...ncInBackup("x"), name: "shared", scope: { listId: list.id } }, actor);
    const text = await exportExceptions();
    expect(text.trim().split("\n")).toHaveLength(3);

    await prisma().exceptionItem.deleteMany();
    await prisma().exceptionList.deleteMany();
    const report = await importExceptions(
      `${text}{"type":"exception_item","name":"bad","ruleId":"missing","groups":[[{"field":"a","operator":"exists"}]]}\n`,
      actor,
    );
    expect(report).toMatchObject({ listsCreated: 1, itemsCreated: 2 });
    expect(report.errors).toEqual([{ line: 4, message: 'scope.ruleId: no rule with id "missing"' }]);
    const items = await listExceptionItems({}, NOW);
    expect(items.map((i) => i.name).sort()).toEqual(["own", "shared"]);
    expect(items.find((i) => i.name === "own")?.expiresAt).toBe("2027-01-01T00:00:00.000Z");
    expect(items.find((i) => i.name === "shared")?.scope).toMatchObject({ kind: "list", listName: "Shared" });

    // the same file again adds no second copy of any item
    const again = await importExceptions(text, actor);
    expect(again).toMatchObject({ listsCreated: 0, listsUpdated: 1, itemsCreated: 0, itemsUnchanged: 2 });
    expect(await prisma().exceptionItem.count()).toBe(2);
  });
});
