"use client";

import { useState } from "react";
import { formatDate, inputClass, secondaryButtonClass } from "./fields";
import { type AuditEntry, type AuditFilter, useAuditLog } from "./settings-queries";

/** The audit log, newest first; read-only by design (nothing in the app edits or deletes entries). */
export function AuditSection() {
  const [filter, setFilter] = useState<AuditFilter>({ actor: "", action: "" });
  const log = useAuditLog(filter);
  const first = log.data?.pages[0];
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];

  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <div>
        <h2 id="audit-heading" className="text-lg font-semibold">
          Audit log
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Who did what and when: sign-ins, account and token changes, triage actions. Entries cannot be edited.
        </p>
      </div>
      <div className="flex flex-wrap gap-4">
        <FilterSelect
          id="audit-actor"
          label="Actor"
          value={filter.actor}
          choices={first?.actors ?? []}
          onChange={(actor) => setFilter((current) => ({ ...current, actor }))}
        />
        <FilterSelect
          id="audit-action"
          label="Action"
          value={filter.action}
          choices={withFamilies(first?.actions ?? [])}
          onChange={(action) => setFilter((current) => ({ ...current, action }))}
        />
      </div>
      {log.isPending ? (
        <p className="text-sm text-slate-500">Loading the audit log…</p>
      ) : log.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load the audit log: {log.error.message}
        </p>
      ) : entries.length === 0 ? (
        <p className="text-sm text-slate-500">No entries match.</p>
      ) : (
        <AuditTable entries={entries} />
      )}
      {log.hasNextPage ? (
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={log.isFetchingNextPage}
          onClick={() => log.fetchNextPage()}
        >
          {log.isFetchingNextPage ? "Loading…" : "Load older entries"}
        </button>
      ) : null}
    </section>
  );
}

function FilterSelect({
  id,
  label,
  value,
  choices,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  choices: readonly string[];
  onChange: (value: string) => void;
}) {
  // Keep the chosen value listed even when the current page's facets lack it.
  const options = value && !choices.includes(value) ? [value, ...choices] : choices;
  return (
    <div className="w-64">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} className={inputClass}>
        <option value="">All</option>
        {options.map((choice) => (
          <option key={choice} value={choice}>
            {choice.endsWith(".") ? `${choice}* (all)` : choice}
          </option>
        ))}
      </select>
    </div>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            {["When", "Actor", "Action", "Target", "Details", "IP"].map((title) => (
              <th key={title} scope="col" className="px-3 py-2">
                {title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top dark:divide-slate-800">
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row">
              <td className="px-3 py-2 whitespace-nowrap">
                <time dateTime={entry.at.toISOString()}>{formatDate(entry.at)}</time>
              </td>
              <td className="px-3 py-2">{entry.actorLabel}</td>
              <td className="px-3 py-2 font-mono text-xs">{entry.action}</td>
              <td className="px-3 py-2 text-xs">
                {entry.targetType ? `${entry.targetType} ${entry.targetId ?? ""}` : "—"}
              </td>
              <td className="max-w-md px-3 py-2">
                {entry.details ? (
                  <code className="block whitespace-pre-wrap break-words text-xs">{formatDetails(entry.details)}</code>
                ) : (
                  "—"
                )}
              </td>
              <td className="px-3 py-2 text-xs">{entry.ip ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Adds "user." style entries (the API reads a trailing dot as "every action in this family"). */
function withFamilies(actions: readonly string[]): string[] {
  const families = new Set<string>();
  for (const action of actions) {
    const dot = action.indexOf(".");
    if (dot > 0) families.add(action.slice(0, dot + 1));
  }
  return [...[...families].sort(), ...actions];
}

// Details are free-form objects; shown as compact JSON text, never as markup.
function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}
