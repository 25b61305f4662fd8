import type { AlertDetail, PersonRef } from "@/lib/db/alert-detail";
import type { AlertPatch } from "@/lib/db/alert-updates";

/**
 * What the alert will look like once the server accepts a patch, so the
 * screen answers a click at once. The server's reply replaces this guess;
 * on an error the previous value is put back. The version is left alone:
 * only the server decides it.
 */
export function applyPatch(detail: AlertDetail, patch: AlertPatch, me: PersonRef, now = new Date()): AlertDetail {
  const at = now.toISOString();
  let next: AlertDetail = { ...detail };
  if (patch.status !== undefined) {
    next = {
      ...next,
      status: patch.status,
      closingReason: patch.status === "closed" ? (patch.closingReason ?? null) : null,
      closedAt: patch.status === "closed" ? at : null,
      acknowledgedAt: patch.status === "acknowledged" ? (next.acknowledgedAt ?? at) : next.acknowledgedAt,
    };
  }
  if (patch.assigneeId !== undefined) {
    next = {
      ...next,
      assignee: patch.assigneeId === null ? null : patch.assigneeId === me.id ? me : next.assignee,
    };
  }
  if (patch.step) {
    const { kind, stepIndex, checked, note } = patch.step;
    const existing = next.steps.find((s) => s.kind === kind && s.stepIndex === stepIndex);
    const toggled = (existing?.checked ?? false) !== checked;
    const updated = {
      kind,
      stepIndex,
      checked,
      checkedBy: toggled ? (checked ? me : null) : (existing?.checkedBy ?? null),
      checkedAt: toggled ? (checked ? at : null) : (existing?.checkedAt ?? null),
      note: note === undefined ? (existing?.note ?? null) : note.trim() === "" ? null : note,
      updatedAt: at,
    };
    next = {
      ...next,
      steps: existing ? next.steps.map((s) => (s === existing ? updated : s)) : [...next.steps, updated],
    };
  }
  if (patch.note) {
    next = {
      ...next,
      notes: [...next.notes, { id: `pending-${at}`, body: patch.note.body.trim(), author: me, createdAt: at }],
    };
  }
  return next;
}

/** The saved state of one step, if any. */
export function stepState(detail: AlertDetail, kind: "triage" | "response", stepIndex: number) {
  return detail.steps.find((s) => s.kind === kind && s.stepIndex === stepIndex) ?? null;
}
