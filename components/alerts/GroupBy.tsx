"use client";

import { useId } from "react";
import { ALERT_GROUP_BYS, type AlertGroupBy } from "@/lib/db/alert-list-query";
import type { AlertCounts } from "./list-data";
import type { AlertListFilter } from "./list-state";

const GROUP_LABELS: Record<AlertGroupBy, string> = { rule: "Rule", container: "Container", host: "Host" };
const FILTER_KEY: Record<AlertGroupBy, "rule" | "container" | "host"> = {
  rule: "rule",
  container: "container",
  host: "host",
};

export function GroupBySelect({ value, onChange }: { value?: AlertGroupBy; onChange: (by?: AlertGroupBy) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-slate-600 dark:text-slate-400">
        Group by
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(event) => onChange((event.target.value || undefined) as AlertGroupBy | undefined)}
        className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900"
      >
        <option value="">Nothing</option>
        {ALERT_GROUP_BYS.map((by) => (
          <option key={by} value={by}>
            {GROUP_LABELS[by]}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Counts per group for the current filters. Choosing a group narrows the list
 * to it; choosing it again widens the list back.
 */
export function GroupCounts({
  by,
  counts,
  filter,
  onFilter,
}: {
  by: AlertGroupBy;
  counts: AlertCounts | undefined;
  filter: AlertListFilter;
  onFilter: (next: AlertListFilter) => void;
}) {
  const key = FILTER_KEY[by];
  const groups = counts?.by === by ? counts.groups : undefined;
  return (
    <section
      aria-label={`Alerts by ${GROUP_LABELS[by].toLowerCase()}`}
      className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      {groups === undefined ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Counting…</p>
      ) : groups.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No groups for these filters.</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {groups.map((group) => {
            const active = group.key !== null && filter[key] === group.key;
            return (
              <li key={group.key ?? "(none)"}>
                <button
                  type="button"
                  disabled={group.key === null}
                  aria-pressed={active}
                  title={group.key === null ? "Alerts without this field cannot be filtered on" : group.key}
                  onClick={() => onFilter({ ...filter, [key]: active ? undefined : (group.key ?? undefined) })}
                  className={`inline-flex max-w-80 items-center gap-2 rounded-md border px-2.5 py-1 text-sm ${
                    active
                      ? "border-sky-700 bg-sky-50 text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-100"
                      : "border-slate-300 hover:bg-slate-100 disabled:cursor-default disabled:hover:bg-transparent dark:border-slate-600 dark:hover:bg-slate-800"
                  }`}
                >
                  <span className="truncate">{group.label}</span>
                  <span className="rounded bg-slate-200 px-1.5 text-xs font-semibold tabular-nums text-slate-800 dark:bg-slate-700 dark:text-slate-100">
                    {group.count.toLocaleString()}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
