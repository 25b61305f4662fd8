import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { parseStringList } from "./alert-detail";
import { retryingTransaction } from "./transactions";

/**
 * Analyst changes to one alert: status, assignee, triage/response step state
 * and notes. Every change is one AlertChange row, the alert's version goes up
 * by one per patch, and it all happens in one transaction. Optimistic locking:
 * the caller names the version it read; a different stored version is a
 * conflict, so two analysts never silently overwrite each other.
 */

export const ALERT_STATUSES = ["open", "acknowledged", "closed"] as const;
export const CLOSING_REASONS = ["true_positive", "false_positive", "benign", "duplicate"] as const;
export const STEP_KINDS = ["triage", "response"] as const;
export const NOTE_MAX_CHARS = 10_000;
export const STEP_NOTE_MAX_CHARS = 2_000;

export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type ClosingReason = (typeof CLOSING_REASONS)[number];
export type StepKind = (typeof STEP_KINDS)[number];

const patchFields = {
  status: z.enum(ALERT_STATUSES).optional(),
  closingReason: z.enum(CLOSING_REASONS).optional(),
  assigneeId: z.string().min(1).nullable().optional(),
  step: z
    .object({
      kind: z.enum(STEP_KINDS),
      stepIndex: z.int().min(0),
      checked: z.boolean(),
      note: z.string().max(STEP_NOTE_MAX_CHARS).optional(),
    })
    .strict()
    .optional(),
  note: z
    .object({ body: z.string().trim().min(1, "must not be empty").max(NOTE_MAX_CHARS) })
    .strict()
    .optional(),
};

type PatchShape = {
  status?: AlertStatus | undefined;
  closingReason?: ClosingReason | undefined;
  assigneeId?: string | null | undefined;
  step?: unknown;
  note?: unknown;
};

function checkPatch(patch: PatchShape, context: z.RefinementCtx): void {
  if (
    patch.status === undefined &&
    patch.assigneeId === undefined &&
    patch.step === undefined &&
    patch.note === undefined
  ) {
    context.addIssue({ code: "custom", message: "name at least one of status, assigneeId, step, note", path: [] });
  }
  if (patch.status === "closed" && patch.closingReason === undefined) {
    context.addIssue({
      code: "custom",
      message: `closing an alert needs a reason: ${CLOSING_REASONS.join(", ")}`,
      path: ["closingReason"],
    });
  }
  if (patch.closingReason !== undefined && patch.status !== "closed") {
    context.addIssue({ code: "custom", message: 'only allowed with status "closed"', path: ["closingReason"] });
  }
}

/** One PATCH of an alert; the version travels separately (If-Match, or AlertPatchRequestSchema). */
export const AlertPatchSchema = z.object(patchFields).strict().superRefine(checkPatch);
export type AlertPatch = z.infer<typeof AlertPatchSchema>;

/** The PATCH body as sent over HTTP: the patch, optionally with the version read. */
export const AlertPatchRequestSchema = z
  .object({ ...patchFields, version: z.int().min(1).optional() })
  .strict()
  .superRefine(checkPatch);

export type AlertUpdateResult =
  | { ok: true; version: number; changed: boolean }
  | { ok: false; code: "not_found"; message: string }
  | { ok: false; code: "version_conflict"; message: string; currentVersion: number }
  | { ok: false; code: "invalid_request"; message: string; field: string };

/** Thrown inside the transaction to roll it back; turned into a result value before returning. */
class UpdateRefused extends Error {
  constructor(readonly result: Exclude<AlertUpdateResult, { ok: true }>) {
    super(result.message);
  }
}

type ChangeRow = { field: string; fromValue: string | null; toValue: string | null; reason?: string | null };

export async function updateAlert(
  id: string,
  expectedVersion: number,
  patch: AlertPatch,
  actorId: string | null,
): Promise<AlertUpdateResult> {
  try {
    return await retryingTransaction(async (tx) => {
      const alert = await tx.alert.findUnique({
        where: { id },
        select: {
          version: true,
          status: true,
          closingReason: true,
          assigneeId: true,
          acknowledgedAt: true,
          rule: { select: { triageSteps: true, responseSteps: true } },
        },
      });
      if (!alert) refuse({ ok: false, code: "not_found", message: `No alert with id "${id}".` });
      if (alert.version !== expectedVersion) refuse(conflict(id, alert.version));

      const now = new Date();
      const data: Prisma.AlertUncheckedUpdateManyInput = {};
      const changes: ChangeRow[] = [];

      if (patch.status !== undefined) {
        const reason = patch.status === "closed" ? (patch.closingReason ?? null) : null;
        if (patch.status !== alert.status || reason !== alert.closingReason) {
          data.status = patch.status;
          data.closingReason = reason;
          data.closedAt = patch.status === "closed" ? now : null;
          if (patch.status === "acknowledged" && !alert.acknowledgedAt) data.acknowledgedAt = now;
          changes.push({ field: "status", fromValue: alert.status, toValue: patch.status, reason });
        }
      }

      if (patch.assigneeId !== undefined && patch.assigneeId !== alert.assigneeId) {
        if (patch.assigneeId !== null) {
          const user = await tx.user.findUnique({ where: { id: patch.assigneeId }, select: { disabled: true } });
          if (!user || user.disabled) {
            refuse({
              ok: false,
              code: "invalid_request",
              field: "assigneeId",
              message: `No active user with id "${patch.assigneeId}" to assign the alert to.`,
            });
          }
        }
        data.assigneeId = patch.assigneeId;
        changes.push({ field: "assignee", fromValue: alert.assigneeId, toValue: patch.assigneeId });
      }

      const stepChanges = patch.step ? await applyStep(tx, id, alert.rule, patch.step, actorId, now) : [];
      changes.push(...stepChanges);

      if (patch.note) {
        await tx.alertNote.create({ data: { alertId: id, authorId: actorId, body: patch.note.body, createdAt: now } });
        changes.push({ field: "note", fromValue: null, toValue: excerpt(patch.note.body) });
      }

      if (changes.length === 0) return { ok: true, version: alert.version, changed: false };

      // The version condition makes the check-and-bump atomic even if another writer slipped in.
      const updated = await tx.alert.updateMany({
        where: { id, version: expectedVersion },
        data: { ...data, version: { increment: 1 } },
      });
      if (updated.count !== 1) refuse(conflict(id, (await tx.alert.findUnique({ where: { id } }))?.version ?? 0));
      await tx.alertChange.createMany({
        data: changes.map((change) => ({
          alertId: id,
          actorId,
          field: change.field,
          fromValue: change.fromValue,
          toValue: change.toValue,
          reason: change.reason ?? null,
          createdAt: now,
        })),
      });
      return { ok: true, version: expectedVersion + 1, changed: true };
    });
  } catch (error) {
    if (error instanceof UpdateRefused) return error.result;
    throw error;
  }
}

async function applyStep(
  tx: Prisma.TransactionClient,
  alertId: string,
  rule: { triageSteps: string; responseSteps: string },
  step: NonNullable<AlertPatch["step"]>,
  actorId: string | null,
  now: Date,
): Promise<ChangeRow[]> {
  const steps = parseStringList(step.kind === "triage" ? rule.triageSteps : rule.responseSteps);
  if (step.stepIndex >= steps.length) {
    refuse({
      ok: false,
      code: "invalid_request",
      field: "step.stepIndex",
      message: `The rule has ${steps.length} ${step.kind} step(s); step index ${step.stepIndex} does not exist.`,
    });
  }
  const key = { alertId_kind_stepIndex: { alertId, kind: step.kind, stepIndex: step.stepIndex } };
  const previous = await tx.triageStepState.findUnique({ where: key });
  const label = `${step.kind}_step[${step.stepIndex}]`;
  const changes: ChangeRow[] = [];
  const wasChecked = previous?.checked ?? false;
  if (wasChecked !== step.checked) {
    changes.push({ field: label, fromValue: checkedText(wasChecked), toValue: checkedText(step.checked) });
  }
  const previousNote = previous?.note ?? null;
  const note = step.note === undefined ? previousNote : step.note.trim() === "" ? null : step.note;
  if (note !== previousNote) changes.push({ field: `${label}.note`, fromValue: previousNote, toValue: note });
  if (changes.length === 0) return [];
  // who/when describe the checkmark, so they follow it; a note edit alone leaves them as they were
  const checkedBy =
    wasChecked === step.checked
      ? { checkedById: previous?.checkedById ?? null, checkedAt: previous?.checkedAt ?? null }
      : step.checked
        ? { checkedById: actorId, checkedAt: now }
        : { checkedById: null, checkedAt: null };
  await tx.triageStepState.upsert({
    where: key,
    create: { alertId, kind: step.kind, stepIndex: step.stepIndex, checked: step.checked, note, ...checkedBy },
    update: { checked: step.checked, note, ...checkedBy },
  });
  return changes;
}

function refuse(result: Exclude<AlertUpdateResult, { ok: true }>): never {
  throw new UpdateRefused(result);
}

function conflict(id: string, currentVersion: number): Exclude<AlertUpdateResult, { ok: true }> {
  return {
    ok: false,
    code: "version_conflict",
    currentVersion,
    message: `Alert "${id}" was changed by someone else (now at version ${currentVersion}); reload it and try again.`,
  };
}

function checkedText(checked: boolean): string {
  return checked ? "checked" : "unchecked";
}

function excerpt(body: string): string {
  return body.length > 200 ? `${body.slice(0, 199)}…` : body;
}

/** How a request's principal is recorded as an actor: people by user id, API tokens as "token:<id>". */
export function actorIdOf(principal: { kind: "user" | "token"; id: string }): string {
  return principal.kind === "user" ? principal.id : `token:${principal.id}`;
}
