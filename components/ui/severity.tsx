import type { AlertStatus, ClosingReason, Severity } from "@/lib/db/alert-list-query";

/**
 * Severity and status as badges. Colour is never the only cue: the word is
 * always shown. Pairs are dark text on a pale fill (and the reverse in dark
 * mode) so each stays above WCAG AA contrast.
 */
const SEVERITY_CLASSES: Record<Severity, string> = {
  critical: "bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  high: "bg-orange-100 text-orange-900 ring-orange-300 dark:bg-orange-950 dark:text-orange-200 dark:ring-orange-800",
  medium: "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  low: "bg-slate-100 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
};

const SEVERITY_LABELS: Record<Severity, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

export function severityLabel(severity: string): string {
  return SEVERITY_LABELS[severity as Severity] ?? severity;
}

export function SeverityBadge({ severity }: { severity: string }) {
  const classes = SEVERITY_CLASSES[severity as Severity] ?? SEVERITY_CLASSES.low;
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${classes}`}
    >
      {severityLabel(severity)}
    </span>
  );
}

const STATUS_CLASSES: Record<AlertStatus, string> = {
  open: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  acknowledged: "bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200",
  closed: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
};

const STATUS_LABELS: Record<AlertStatus, string> = { open: "Open", acknowledged: "Acknowledged", closed: "Closed" };

export const CLOSING_REASON_LABELS: Record<ClosingReason, string> = {
  true_positive: "True positive",
  false_positive: "False positive",
  benign: "Benign",
  duplicate: "Duplicate",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as AlertStatus] ?? status;
}

export function StatusBadge({ status, closingReason }: { status: string; closingReason?: string | null }) {
  const classes = STATUS_CLASSES[status as AlertStatus] ?? STATUS_CLASSES.closed;
  const reason = closingReason ? (CLOSING_REASON_LABELS[closingReason as ClosingReason] ?? closingReason) : null;
  return (
    <span
      title={reason ? `${statusLabel(status)} · ${reason}` : undefined}
      className={`inline-block max-w-full truncate rounded px-1.5 py-0.5 align-middle text-xs font-medium ${classes}`}
    >
      {statusLabel(status)}
      {reason ? <span className="font-normal"> · {reason}</span> : null}
    </span>
  );
}
