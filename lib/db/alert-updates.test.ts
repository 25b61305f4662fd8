import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAlertDetail } from "./alert-detail";
import { seedAlert, seedRule } from "./alert-test-fixtures";
import { AlertPatchRequestSchema, AlertPatchSchema, actorIdOf, updateAlert } from "./alert-updates";
import { prisma } from "./client";
import { createTestDatabase } from "./test-database";
import { createUser } from "./users";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

let ruleId = "";
let alice = "";
let bob = "";

beforeAll(async () => {
  ruleId = (await seedRule(prisma())).id;
  alice = (await createUser({ username: "alice", displayName: "Alice A", role: "analyst", passwordHash: "x" })).id;
  bob = (await createUser({ username: "bob", displayName: "Bob B", role: "analyst", passwordHash: "x" })).id;
});

async function freshAlert(): Promise<string> {
  return (await seedAlert(prisma(), { ruleId, eventIds: [] })).id;
}

async function history(alertId: string) {
  return (await getAlertDetail(alertId))?.history.map((h) => [h.field, h.fromValue, h.toValue, h.actor?.name]);
}

describe("updateAlert", () => {
  it("acknowledges, then closes with a reason, bumping the version and recording each change", async () => {
    const id = await freshAlert();
    expect(await updateAlert(id, 1, { status: "acknowledged" }, alice)).toEqual({
      ok: true,
      version: 2,
      changed: true,
    });
    const closed = await updateAlert(id, 2, { status: "closed", closingReason: "false_positive" }, bob);
    expect(closed).toEqual({ ok: true, version: 3, changed: true });
    const detail = await getAlertDetail(id);
    expect(detail).toMatchObject({ status: "closed", closingReason: "false_positive", version: 3 });
    expect(detail?.acknowledgedAt).not.toBeNull();
    expect(detail?.closedAt).not.toBeNull();
    expect(await history(id)).toEqual([
      ["status", "open", "acknowledged", "Alice A"],
      ["status", "acknowledged", "closed", "Bob B"],
    ]);
    expect(detail?.history[1]?.reason).toBe("false_positive");
  });

  it("reopening clears the closing reason and close time", async () => {
    const id = await freshAlert();
    await updateAlert(id, 1, { status: "closed", closingReason: "benign" }, alice);
    await updateAlert(id, 2, { status: "open" }, alice);
    expect(await getAlertDetail(id)).toMatchObject({ status: "open", closingReason: null, closedAt: null });
  });

  it("assigns and unassigns, history showing names", async () => {
    const id = await freshAlert();
    await updateAlert(id, 1, { assigneeId: alice }, alice);
    expect((await getAlertDetail(id))?.assignee).toEqual({ id: alice, name: "Alice A" });
    await updateAlert(id, 2, { assigneeId: null }, bob);
    expect((await getAlertDetail(id))?.assignee).toBeNull();
    expect(await history(id)).toEqual([
      ["assignee", null, "Alice A", "Alice A"],
      ["assignee", "Alice A", null, "Bob B"],
    ]);
  });

  it("refuses an unknown assignee without changing anything", async () => {
    const id = await freshAlert();
    const result = await updateAlert(id, 1, { assigneeId: "nobody" }, alice);
    expect(result).toMatchObject({ ok: false, code: "invalid_request", field: "assigneeId" });
    expect((await getAlertDetail(id))?.version).toBe(1);
  });

  it("checks a triage step recording who and when, then edits its note and unchecks it", async () => {
    const id = await freshAlert();
    await updateAlert(id, 1, { step: { kind: "triage", stepIndex: 1, checked: true, note: "looked at it" } }, alice);
    let step = (await getAlertDetail(id))?.steps[0];
    expect(step).toMatchObject({ kind: "triage", stepIndex: 1, checked: true, note: "looked at it" });
    expect(step?.checkedBy).toEqual({ id: alice, name: "Alice A" });
    const checkedAt = step?.checkedAt;
    expect(checkedAt).not.toBeNull();

    // a note edit by someone else keeps who checked it
    await updateAlert(id, 2, { step: { kind: "triage", stepIndex: 1, checked: true, note: "and more" } }, bob);
    step = (await getAlertDetail(id))?.steps[0];
    expect(step).toMatchObject({ note: "and more", checkedBy: { id: alice }, checkedAt });

    await updateAlert(id, 3, { step: { kind: "triage", stepIndex: 1, checked: false } }, bob);
    step = (await getAlertDetail(id))?.steps[0];
    expect(step).toMatchObject({ checked: false, checkedBy: null, checkedAt: null, note: "and more" });
    expect(await history(id)).toEqual([
      ["triage_step[1]", "unchecked", "checked", "Alice A"],
      ["triage_step[1].note", null, "looked at it", "Alice A"],
      ["triage_step[1].note", "looked at it", "and more", "Bob B"],
      ["triage_step[1]", "checked", "unchecked", "Bob B"],
    ]);
  });

  it("checks response steps separately from triage steps", async () => {
    const id = await freshAlert();
    await updateAlert(id, 1, { step: { kind: "response", stepIndex: 0, checked: true } }, alice);
    const steps = (await getAlertDetail(id))?.steps;
    expect(steps?.map((s) => [s.kind, s.stepIndex, s.checked])).toEqual([["response", 0, true]]);
  });

  it("refuses a step index the rule does not have, for either kind", async () => {
    const id = await freshAlert();
    const triage = await updateAlert(id, 1, { step: { kind: "triage", stepIndex: 2, checked: true } }, alice);
    expect(triage).toMatchObject({ ok: false, code: "invalid_request", field: "step.stepIndex" });
    const response = await updateAlert(id, 1, { step: { kind: "response", stepIndex: 1, checked: true } }, alice);
    expect(response).toMatchObject({ ok: false, code: "invalid_request", field: "step.stepIndex" });
    const detail = await getAlertDetail(id);
    expect(detail?.steps).toEqual([]);
    expect(detail?.version).toBe(1);
  });

  it("adds notes with their author", async () => {
    const id = await freshAlert();
    await updateAlert(id, 1, { note: { body: "First look: benign cron job." } }, alice);
    await updateAlert(id, 2, { note: { body: "Agreed." } }, bob);
    const detail = await getAlertDetail(id);
    expect(detail?.notes.map((n) => [n.body, n.author?.name])).toEqual([
      ["First look: benign cron job.", "Alice A"],
      ["Agreed.", "Bob B"],
    ]);
    expect(detail?.history.map((h) => h.field)).toEqual(["note", "note"]);
  });

  it("applies several changes in one patch with one version bump", async () => {
    const id = await freshAlert();
    const result = await updateAlert(id, 1, { status: "acknowledged", assigneeId: bob, note: { body: "mine" } }, bob);
    expect(result).toEqual({ ok: true, version: 2, changed: true });
    expect((await history(id))?.map((h) => h[0])).toEqual(["status", "assignee", "note"]);
  });

  it("a stale version is a conflict naming the current version, and nothing is written", async () => {
    const id = await freshAlert();
    await updateAlert(id, 1, { status: "acknowledged" }, alice);
    const stale = await updateAlert(id, 1, { note: { body: "late" } }, bob);
    expect(stale).toMatchObject({ ok: false, code: "version_conflict", currentVersion: 2 });
    const detail = await getAlertDetail(id);
    expect(detail?.notes).toEqual([]);
    expect(detail?.version).toBe(2);
  });

  it("only one of two concurrent writers with the same version wins", async () => {
    const id = await freshAlert();
    const results = await Promise.all([
      updateAlert(id, 1, { note: { body: "one" } }, alice),
      updateAlert(id, 1, { note: { body: "two" } }, bob),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ code: "version_conflict" })]);
    expect((await getAlertDetail(id))?.notes).toHaveLength(1);
  });

  it("a patch that changes nothing keeps the version", async () => {
    const id = await freshAlert();
    expect(await updateAlert(id, 1, { status: "open" }, alice)).toEqual({ ok: true, version: 1, changed: false });
    expect(await history(id)).toEqual([]);
  });

  it("not found for an unknown alert", async () => {
    expect(await updateAlert("missing", 1, { status: "open" }, alice)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("records API tokens as token actors", async () => {
    const token = await prisma().apiToken.create({
      data: { name: "soar", role: "analyst", tokenHash: "hash-soar", prefix: "kw_soar" },
    });
    const id = await freshAlert();
    await updateAlert(id, 1, { status: "acknowledged" }, actorIdOf({ kind: "token", id: token.id }));
    expect((await getAlertDetail(id))?.history[0]?.actor?.name).toBe("token:soar");
  });
});

describe("AlertPatchSchema", () => {
  const issues = (value: unknown) => {
    const parsed = AlertPatchSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."));
  };

  it("closing requires a reason, and a reason requires closing", () => {
    expect(issues({ status: "closed" })).toEqual(["closingReason"]);
    expect(issues({ status: "acknowledged", closingReason: "benign" })).toEqual(["closingReason"]);
    expect(issues({ status: "closed", closingReason: "duplicate" })).toEqual([]);
    expect(issues({ status: "closed", closingReason: "maybe" })).toEqual(["closingReason"]);
  });

  it("refuses empty patches, unknown fields, bad statuses, empty and oversized notes", () => {
    expect(issues({})).toEqual([""]);
    expect(issues({ status: "snoozed" })).toEqual(["status"]);
    expect(issues({ status: "open", severity: "low" })).toEqual([""]);
    expect(issues({ note: { body: "   " } })).toEqual(["note.body"]);
    expect(issues({ note: { body: "x".repeat(10_001) } })).toEqual(["note.body"]);
    expect(issues({ note: { body: "x".repeat(10_000) } })).toEqual([]);
    expect(issues({ step: { kind: "triage", stepIndex: -1, checked: true } })).toEqual(["step.stepIndex"]);
  });

  it("the request schema also takes the version", () => {
    expect(AlertPatchRequestSchema.safeParse({ version: 3, status: "open" }).success).toBe(true);
    expect(AlertPatchRequestSchema.safeParse({ version: 0, status: "open" }).success).toBe(false);
  });
});
