const STYLES: Record<string, string> = {
  critical: "bg-red-700 text-white",
  high: "bg-orange-600 text-white",
  medium: "bg-amber-300 text-amber-950",
  low: "bg-sky-200 text-sky-950",
};

/** Severity as a coloured word (the word carries the meaning, colour only helps). */
export function SeverityBadge({ severity }: { severity: string }) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide ${
        STYLES[severity] ?? "bg-slate-200 text-slate-900"
      }`}
    >
      {severity}
    </span>
  );
}

const STATUS_STYLES: Record<string, string> = {
  open: "bg-rose-100 text-rose-900 ring-rose-300 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-800",
  acknowledged: "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  closed:
    "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${
        STATUS_STYLES[status] ?? "bg-slate-100 text-slate-800 ring-slate-300"
      }`}
    >
      {status}
    </span>
  );
}

/** Severity as coloured text, for dense lists (readable on light and dark backgrounds). */
export const SEVERITY_TEXT: Record<string, string> = {
  critical: "text-red-700 dark:text-red-400",
  high: "text-orange-700 dark:text-orange-400",
  medium: "text-amber-700 dark:text-amber-300",
  low: "text-sky-700 dark:text-sky-300",
};
