"use client";

import { useMemo } from "react";
import { compile, isEqlError } from "@/lib/eql";
import { caretRow, placeQueryError } from "./query-position";

export interface QueryProblem {
  line: number;
  column: number;
  message: string;
}

interface FieldSettings {
  eventCategoryField: string;
  timestampField: string;
  tiebreakerField?: string | undefined;
}

/** Compiles the query in the browser with the same engine the server runs, so errors show while typing. */
export function checkQuery(query: string, settings: FieldSettings): QueryProblem | null {
  if (query.trim() === "") return { line: 1, column: 1, message: "the query must not be empty" };
  try {
    compile(query, {
      eventCategoryField: settings.eventCategoryField,
      timestampField: settings.timestampField,
      ...(settings.tiebreakerField ? { tiebreakerField: settings.tiebreakerField } : {}),
    });
    return null;
  } catch (error) {
    if (isEqlError(error)) return { line: error.line, column: error.column, message: error.reason };
    throw error;
  }
}

/** An EQL text area; the problem (live, or the server's on save) is shown under its line with a caret. */
export function QueryEditor({
  id,
  value,
  onChange,
  settings,
  serverProblem,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  settings: FieldSettings;
  serverProblem: QueryProblem | null;
}) {
  const live = useMemo(() => checkQuery(value, settings), [value, settings]);
  const problem = live ?? serverProblem;
  const lines = value.split("\n").length;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        EQL query
      </label>
      <textarea
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-error` : undefined}
        rows={Math.min(Math.max(lines + 1, 4), 24)}
        className="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs leading-5 aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950"
      />
      {problem ? <QueryError id={`${id}-error`} query={value} problem={problem} /> : null}
      {!problem ? <p className="mt-1 text-xs text-emerald-700 dark:text-emerald-400">The query compiles.</p> : null}
    </div>
  );
}

export function QueryError({ id, query, problem }: { id: string; query: string; problem: QueryProblem }) {
  const place = placeQueryError(query, problem.line, problem.column);
  const row = caretRow(place);
  return (
    <div
      id={id}
      role="alert"
      className="mt-1 rounded-md bg-red-50 p-2 text-xs text-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <p data-testid="query-error">
        Line {problem.line}, column {problem.column}: {problem.message}
      </p>
      <pre className="mt-1 overflow-x-auto font-mono leading-5">
        {row.text}
        {"\n"}
        <span className="font-bold text-red-600">{row.caret}</span>
      </pre>
    </div>
  );
}
