"use client";

import { useState } from "react";
import type { AlertDetail, PersonRef } from "@/lib/db/alert-detail";
import type { AlertPatch, ClosingReason } from "@/lib/db/alert-updates";
import { CLOSING_REASON_LABELS, formatTime } from "./format";
import { BUTTON, PRIMARY_BUTTON, Section } from "./Section";
import { StatusBadge } from "./SeverityBadge";

const REASONS = Object.keys(CLOSING_REASON_LABELS) as ClosingReason[];

/** Status (open → acknowledged → closed with a reason) and who owns the alert. */
export function StatusControls({
  alert,
  me,
  canTriage,
  onPatch,
}: {
  alert: AlertDetail;
  me: PersonRef;
  canTriage: boolean;
  onPatch: (patch: AlertPatch) => void;
}) {
  const [reason, setReason] = useState<ClosingReason | "">("");
  // fixed id: the page's "c" shortcut focuses it
  const reasonId = "closing-reason";
  const mine = alert.assignee?.id === me.id;
  return (
    <Section id="status" title="Status">
      <div className="space-y-3">
        <div className="flex flex-wrap items-center gap-2" data-testid="alert-status">
          <StatusBadge status={alert.status} />
          {alert.status === "closed" && alert.closingReason ? (
            <span className="text-xs text-slate-700 dark:text-slate-300">
              as {CLOSING_REASON_LABELS[alert.closingReason] ?? alert.closingReason}
            </span>
          ) : null}
          {alert.closedAt ? (
            <span className="text-xs text-slate-500">closed {formatTime(alert.closedAt)}</span>
          ) : alert.acknowledgedAt && alert.status === "acknowledged" ? (
            <span className="text-xs text-slate-500">acknowledged {formatTime(alert.acknowledgedAt)}</span>
          ) : null}
        </div>
        {canTriage ? (
          <div className="flex flex-wrap items-center gap-2">
            {alert.status === "open" ? (
              <button
                type="button"
                className={PRIMARY_BUTTON}
                onClick={() => onPatch({ status: "acknowledged" })}
                aria-keyshortcuts="a"
              >
                Acknowledge
              </button>
            ) : (
              <button type="button" className={BUTTON} onClick={() => onPatch({ status: "open" })}>
                Reopen
              </button>
            )}
          </div>
        ) : null}
        {canTriage && alert.status !== "closed" ? (
          <form
            className="flex flex-wrap items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (reason) onPatch({ status: "closed", closingReason: reason });
            }}
          >
            <label htmlFor={reasonId} className="text-xs font-medium text-slate-600 dark:text-slate-300">
              Closing reason
            </label>
            <select
              id={reasonId}
              value={reason}
              onChange={(e) => setReason(e.target.value as ClosingReason | "")}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950"
            >
              <option value="">Choose…</option>
              {REASONS.map((value) => (
                <option key={value} value={value}>
                  {CLOSING_REASON_LABELS[value]}
                </option>
              ))}
            </select>
            <button type="submit" className={BUTTON} disabled={!reason}>
              Close alert
            </button>
          </form>
        ) : null}
        <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3 text-xs dark:border-slate-800">
          <span className="text-slate-500 dark:text-slate-400">Assignee</span>
          <span className="font-medium" data-testid="alert-assignee">
            {alert.assignee ? alert.assignee.name : "Unassigned"}
          </span>
          {canTriage && !mine ? (
            <button type="button" className={BUTTON} onClick={() => onPatch({ assigneeId: me.id })}>
              Assign to me
            </button>
          ) : null}
          {canTriage && alert.assignee ? (
            <button type="button" className={BUTTON} onClick={() => onPatch({ assigneeId: null })}>
              Unassign
            </button>
          ) : null}
        </div>
        {canTriage ? null : <p className="text-xs text-slate-500">Your role can read alerts but not change them.</p>}
      </div>
    </Section>
  );
}
