import { describeHealth, healthLabel } from "./format";
import type { Source, SourceHealth } from "./sources-queries";

/** The word is always shown: colour is never the only cue. */
const HEALTH_CLASSES: Record<SourceHealth, string> = {
  ok: "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  silent: "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  rejecting: "bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  new: "bg-sky-100 text-sky-900 ring-sky-300 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
  revoked: "bg-slate-200 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
};

export function HealthBadge({ source }: { source: Source }) {
  const classes = HEALTH_CLASSES[source.health as SourceHealth] ?? HEALTH_CLASSES.revoked;
  return (
    <span
      data-testid="source-health"
      title={describeHealth(source)}
      className={`inline-flex items-center whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${classes}`}
    >
      {healthLabel(source.health)}
    </span>
  );
}
