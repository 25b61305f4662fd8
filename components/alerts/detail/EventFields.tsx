"use client";

import { useId, useMemo, useState } from "react";
import type { TriggeringEvent } from "@/lib/db/alert-detail";
import { CopyButton } from "./CopyButton";
import { fieldText, filterRows, flattenDocument } from "./flatten";
import { formatTime } from "./format";
import { Muted, Section } from "./Section";

const HIGHLIGHTED = "process.command_line";

/**
 * The triggering event(s) as a field/value table. Event data comes from the
 * monitored workloads, so an attacker may have written it: every value is
 * rendered as text, never as markup.
 */
export function EventFields({ events }: { events: TriggeringEvent[] }) {
  const [selected, setSelected] = useState(0);
  const [query, setQuery] = useState("");
  const searchId = useId();
  const event = events[Math.min(selected, events.length - 1)];
  const rows = useMemo(() => (event ? flattenDocument(event.document) : []), [event]);
  const visible = useMemo(() => filterRows(rows, query), [rows, query]);
  if (!event) {
    return (
      <Section id="event" title="Triggering event">
        <Muted>The events behind this alert are no longer stored.</Muted>
      </Section>
    );
  }
  const commandLine = fieldText(event.document, HIGHLIGHTED);
  return (
    <Section
      id="event"
      title={events.length > 1 ? `Triggering events (${events.length})` : "Triggering event"}
      actions={<span className="text-xs text-slate-500">{formatTime(event.timestamp)}</span>}
    >
      {events.length > 1 ? (
        <div role="tablist" aria-label="Events of the sequence" className="mb-2 flex flex-wrap gap-1">
          {events.map((item, index) => (
            <button
              key={item.id}
              type="button"
              role="tab"
              aria-selected={index === selected}
              onClick={() => setSelected(index)}
              className={`rounded px-2 py-0.5 text-xs font-medium ${
                index === selected
                  ? "bg-sky-700 text-white"
                  : "bg-slate-100 text-slate-700 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-200"
              }`}
            >
              Event {index + 1}
            </button>
          ))}
        </div>
      ) : null}
      {event.unreadable ? (
        <p role="alert" className="mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
          {event.unreadable}. Restore the database from a backup to read it; the alert and its triage are unaffected.
        </p>
      ) : null}
      {commandLine ? (
        <div className="mb-3">
          <div className="mb-1 flex items-center justify-between text-xs font-medium text-slate-500">
            <span>Command line</span>
            <CopyButton value={commandLine} label="Copy command line" />
          </div>
          <pre
            data-testid="command-line"
            className="overflow-x-auto whitespace-pre-wrap break-all rounded border border-amber-300 bg-amber-50 px-3 py-2 font-mono text-xs text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          >
            {commandLine}
          </pre>
        </div>
      ) : null}
      <div className="mb-2 flex items-center gap-2">
        <label htmlFor={searchId} className="text-xs font-medium text-slate-600 dark:text-slate-300">
          Filter fields
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="field or value, e.g. process.args"
          className="w-72 rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950"
        />
        <span className="text-xs text-slate-500" aria-live="polite">
          {visible.length} of {rows.length} fields
        </span>
      </div>
      <div className="max-h-[32rem] overflow-auto rounded border border-slate-200 dark:border-slate-800">
        <table className="w-full border-collapse text-xs" data-testid="event-fields">
          <thead className="sticky top-0 bg-slate-50 dark:bg-slate-800">
            <tr>
              <th scope="col" className="w-1/3 px-2 py-1 text-left font-semibold">
                Field
              </th>
              <th scope="col" className="px-2 py-1 text-left font-semibold">
                Value
              </th>
              <th scope="col" className="w-10 px-2 py-1">
                <span className="sr-only">Copy</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr
                key={row.field}
                className={`border-t border-slate-100 align-top dark:border-slate-800 ${
                  row.field === HIGHLIGHTED ? "bg-amber-50 dark:bg-amber-950/60" : ""
                }`}
              >
                <th
                  scope="row"
                  className="px-2 py-1 text-left font-mono font-normal text-slate-600 dark:text-slate-400"
                >
                  {row.field}
                </th>
                <td className="px-2 py-1 font-mono break-all text-slate-900 dark:text-slate-100">
                  <FieldValues values={row.values} />
                </td>
                <td className="px-1 py-0.5 text-right">
                  <CopyButton
                    value={row.values.length === 1 ? (row.values[0] ?? "") : JSON.stringify(row.values)}
                    label={`Copy ${row.field}`}
                  />
                </td>
              </tr>
            ))}
            {visible.length === 0 ? (
              <tr>
                <td colSpan={3} className="px-2 py-3 text-center text-slate-500">
                  No field or value contains “{query}”.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function FieldValues({ values }: { values: string[] }) {
  if (values.length === 0) return <span className="text-slate-400">(empty)</span>;
  if (values.length === 1) return <span className="whitespace-pre-wrap">{values[0]}</span>;
  return (
    <ol className="list-none space-y-0.5">
      {values.map((value, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: values repeat and never reorder
        <li key={index} className="whitespace-pre-wrap before:mr-1 before:text-slate-400 before:content-['•']">
          {value}
        </li>
      ))}
    </ol>
  );
}
