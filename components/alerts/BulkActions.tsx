"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/Dialog";
import { CLOSING_REASON_LABELS } from "@/components/ui/severity";
import { CLOSING_REASONS, type ClosingReason } from "@/lib/db/alert-list-query";
import { type BulkActionRequest, useBulkAlertAction, useCurrentPrincipal } from "./list-queries";

/**
 * Actions on the selected alerts. The close dialog insists on a reason,
 * because the reason is what later tunes the rules.
 */
export function BulkActions({
  selectedIds,
  onDone,
  closeDialogOpen,
  setCloseDialogOpen,
  canTriage,
  readOnly,
}: {
  selectedIds: string[];
  onDone: () => void;
  closeDialogOpen: boolean;
  setCloseDialogOpen: (open: boolean) => void;
  canTriage: boolean;
  /** the signed-in role is known and may not triage */
  readOnly: boolean;
}) {
  const bulk = useBulkAlertAction();
  const me = useCurrentPrincipal();
  const count = selectedIds.length;

  function run(action: Omit<BulkActionRequest, "ids">) {
    bulk.mutate({ ...action, ids: selectedIds } as BulkActionRequest, { onSuccess: onDone });
  }

  const disabled = count === 0 || bulk.isPending || !canTriage;
  const myId = me.data?.kind === "user" ? me.data.id : null;

  return (
    <div
      role="toolbar"
      aria-label="Actions on selected alerts"
      className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <span className="mr-2 text-sm font-medium tabular-nums" aria-live="polite">
        {count === 0 ? "Select alerts to act on them" : `${count.toLocaleString()} selected`}
      </span>
      <button
        type="button"
        disabled={disabled}
        onClick={() => run({ action: "acknowledge" })}
        className={buttonClass("secondary")}
      >
        Acknowledge
      </button>
      <button
        type="button"
        disabled={disabled}
        onClick={() => setCloseDialogOpen(true)}
        className={buttonClass("secondary")}
      >
        Close…
      </button>
      <button
        type="button"
        disabled={disabled || !myId}
        onClick={() => myId && run({ action: "assign", assigneeId: myId, assigneeName: me.data?.displayName ?? "You" })}
        className={buttonClass("secondary")}
      >
        Assign to me
      </button>
      <button
        type="button"
        disabled={disabled}
        onClick={() => run({ action: "reopen" })}
        className={buttonClass("ghost")}
      >
        Reopen
      </button>
      {count > 0 ? (
        <button type="button" onClick={onDone} className={buttonClass("ghost", "ml-auto")}>
          Clear selection
        </button>
      ) : null}
      {readOnly ? (
        <span className="text-xs text-slate-600 dark:text-slate-400">
          Your role can read alerts but not change them.
        </span>
      ) : null}
      {bulk.isError ? (
        <p
          role="alert"
          className="w-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-200"
        >
          Nothing was changed: {bulk.error.message}
        </p>
      ) : null}
      <CloseDialog
        open={closeDialogOpen}
        count={count}
        onCancel={() => setCloseDialogOpen(false)}
        onConfirm={(closingReason) => {
          setCloseDialogOpen(false);
          run({ action: "close", closingReason });
        }}
      />
    </div>
  );
}

function CloseDialog({
  open,
  count,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  count: number;
  onCancel: () => void;
  onConfirm: (reason: ClosingReason) => void;
}) {
  const [reason, setReason] = useState<ClosingReason | null>(null);
  return (
    <Dialog open={open} onClose={onCancel} title={`Close ${count} alert${count === 1 ? "" : "s"}`}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reason) onConfirm(reason);
        }}
      >
        <fieldset>
          <legend className="text-sm text-slate-700 dark:text-slate-300">Why are they closed?</legend>
          <div className="mt-2 space-y-1.5">
            {CLOSING_REASONS.map((value) => (
              <label key={value} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="closingReason"
                  value={value}
                  checked={reason === value}
                  onChange={() => setReason(value)}
                  className="h-4 w-4 accent-sky-700"
                />
                {CLOSING_REASON_LABELS[value]}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" onClick={onCancel} className={buttonClass("ghost")}>
            Cancel
          </button>
          <button type="submit" disabled={!reason} className={buttonClass("primary")}>
            Close alerts
          </button>
        </div>
      </form>
    </Dialog>
  );
}
