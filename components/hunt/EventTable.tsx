"use client";

import { Fragment, useId, useMemo, useState } from "react";
import { fieldText, flattenDocument } from "@/components/alerts/detail/flatten";

/**
 * Stored events as a table with chosen columns; a click on a row opens the
 * event's fields below it. Event data comes from monitored workloads, so an
 * attacker may have written it: every value is rendered as React text, never
 * as markup.
 */
export interface TableEvent {
  key: string;
  id: number | null;
  document: Record<string, unknown> | null;
}

export interface EventGroup {
  key: string;
  /** a heading above the group's events (a sequence's join keys), or null for a lone event */
  title: string | null;
  events: TableEvent[];
}

export const DEFAULT_COLUMNS = [
  "@timestamp",
  "event.category",
  "event.action",
  "container.id",
  "host.name",
  "process.name",
  "process.command_line",
];

export const COLUMN_CHOICES = [
  ...DEFAULT_COLUMNS,
  "user.name",
  "process.executable",
  "process.entity_id",
  "process.parent.name",
  "process.parent.entity_id",
  "process.entry_leader.entity_id",
  "destination.ip",
  "destination.port",
  "file.path",
  "container.image.name",
  "orchestrator.resource.name",
];

export function ColumnChooser({ columns, onChange }: { columns: string[]; onChange: (columns: string[]) => void }) {
  const id = useId();
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700">
        Columns ({columns.length})
      </summary>
      <fieldset
        aria-label="Columns"
        className="absolute right-0 z-10 mt-1 w-72 space-y-1 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        {COLUMN_CHOICES.map((column) => (
          <label key={column} htmlFor={`${id}-${column}`} className="flex items-center gap-2 font-mono text-xs">
            <input
              id={`${id}-${column}`}
              type="checkbox"
              checked={columns.includes(column)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? COLUMN_CHOICES.filter((choice) => choice === column || columns.includes(choice))
                    : columns.filter((choice) => choice !== column),
                )
              }
            />
            {column}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

function FieldDetail({ document }: { document: Record<string, unknown> }) {
  const rows = useMemo(() => flattenDocument(document), [document]);
  return (
    <table className="w-full text-xs" data-testid="field-detail">
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} className="border-t border-slate-100 align-top dark:border-slate-800">
            <th scope="row" className="w-1/3 py-0.5 pr-2 text-left font-mono font-normal text-slate-500">
              {row.field}
            </th>
            <td className="py-0.5 font-mono break-all whitespace-pre-wrap">{row.values.join("\n")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EventTable({
  groups,
  columns,
  highlight,
  caption,
}: {
  groups: readonly EventGroup[];
  columns: readonly string[];
  /** ids of events to mark (the alert's own) */
  highlight?: ReadonlySet<number>;
  caption: string;
}) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            {columns.map((column) => (
              <th
                key={column}
                scope="col"
                className="px-2 py-1 font-mono font-medium text-slate-600 dark:text-slate-300"
              >
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <Fragment key={group.key}>
              {group.title !== null ? (
                <tr className="bg-slate-50 dark:bg-slate-800/60">
                  <th colSpan={columns.length} scope="rowgroup" className="px-2 py-1 text-left font-medium">
                    {group.title}
                  </th>
                </tr>
              ) : null}
              {group.events.map((event) => {
                const marked = event.id !== null && highlight?.has(event.id);
                return (
                  <Fragment key={event.key}>
                    <tr
                      data-testid="event-row"
                      aria-expanded={open === event.key}
                      tabIndex={0}
                      onClick={() => setOpen(open === event.key ? null : event.key)}
                      onKeyDown={(keyboard) => {
                        if (keyboard.key === "Enter" || keyboard.key === " ") {
                          keyboard.preventDefault();
                          setOpen(open === event.key ? null : event.key);
                        }
                      }}
                      className={`cursor-pointer border-b border-slate-100 align-top hover:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-800 ${
                        marked ? "bg-red-50 dark:bg-red-950/40" : ""
                      }`}
                    >
                      {columns.map((column) => {
                        const text = event.document ? (fieldText(event.document, column) ?? "") : "(missing event)";
                        // One line per event; the whole value is in the title and in the field detail.
                        return (
                          <td key={column} title={text} className="max-w-xs truncate px-2 py-1 font-mono">
                            {text}
                          </td>
                        );
                      })}
                    </tr>
                    {open === event.key && event.document ? (
                      <tr>
                        <td colSpan={columns.length} className="bg-slate-50 px-3 py-2 dark:bg-slate-950">
                          <FieldDetail document={event.document} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
