import { describe, expect, it } from "vitest";
import type { AlertDetail } from "@/lib/db/alert-detail";
import { describeChange } from "./format";
import { applyPatch } from "./optimistic";

const me = { id: "u1", name: "Alice" };
const now = new Date("2026-11-23T10:00:00Z");

function detail(overrides: Partial<AlertDetail> = {}): AlertDetail {
  return {
    id: "a1",
    version: 4,
    status: "open",
    closingReason: null,
    assignee: null,
    acknowledgedAt: null,
    closedAt: null,
    steps: [],
    notes: [],
    ...overrides,
  } as AlertDetail;
}

describe("applyPatch", () => {
  it("acknowledges and closes, leaving the version to the server", () => {
    const acked = applyPatch(detail(), { status: "acknowledged" }, me, now);
    expect(acked).toMatchObject({ status: "acknowledged", acknowledgedAt: now.toISOString(), version: 4 });
    const closed = applyPatch(acked, { status: "closed", closingReason: "benign" }, me, now);
    expect(closed).toMatchObject({ status: "closed", closingReason: "benign", closedAt: now.toISOString() });
    expect(applyPatch(closed, { status: "open" }, me, now)).toMatchObject({ closingReason: null, closedAt: null });
  });

  it("assigns to me and unassigns", () => {
    expect(applyPatch(detail(), { assigneeId: "u1" }, me, now).assignee).toEqual(me);
    expect(applyPatch(detail({ assignee: me }), { assigneeId: null }, me, now).assignee).toBeNull();
  });

  it("checks a step as me, keeps who checked it on a note edit, clears on uncheck", () => {
    const checked = applyPatch(detail(), { step: { kind: "triage", stepIndex: 2, checked: true } }, me, now);
    expect(checked.steps).toEqual([
      expect.objectContaining({ kind: "triage", stepIndex: 2, checked: true, checkedBy: me, note: null }),
    ]);
    const bob = { id: "u2", name: "Bob" };
    const noted = applyPatch(checked, { step: { kind: "triage", stepIndex: 2, checked: true, note: "ok" } }, bob, now);
    expect(noted.steps[0]).toMatchObject({ checkedBy: me, note: "ok" });
    const unchecked = applyPatch(noted, { step: { kind: "triage", stepIndex: 2, checked: false } }, bob, now);
    expect(unchecked.steps[0]).toMatchObject({ checked: false, checkedBy: null, checkedAt: null, note: "ok" });
  });

  it("appends a pending note by me", () => {
    const next = applyPatch(detail(), { note: { body: "  hello " } }, me, now);
    expect(next.notes).toEqual([expect.objectContaining({ body: "hello", author: me })]);
  });
});

describe("describeChange", () => {
  it("puts history rows into words", () => {
    const row = (field: string, fromValue: string | null, toValue: string | null, reason: string | null = null) =>
      describeChange({ field, fromValue, toValue, reason });
    expect(row("status", "acknowledged", "closed", "false_positive")).toBe(
      "changed status acknowledged → closed (False positive)",
    );
    expect(row("triage_step[0]", "unchecked", "checked")).toBe("checked triage step 1");
    expect(row("response_step[2]", "checked", "unchecked")).toBe("unchecked response step 3");
    expect(row("triage_step[1].note", null, "seen")).toBe("noted on triage step 2: “seen”");
    expect(row("assignee", null, "Alice")).toBe("assigned to Alice");
    expect(row("assignee", "Alice", null)).toBe("unassigned Alice");
    expect(row("note", null, "x")).toBe("added a note");
  });
});
