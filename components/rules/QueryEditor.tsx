"use client";

import { useMemo, useRef } from "react";
import { compile, isEqlError } from "@/lib/eql";
import { highlightEql } from "./eql-highlight";
import { QueryHighlight } from "./QueryHighlight";
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

/**
 * Layout both layers of the editor share, so each character of the highlight
 * sits exactly under the same character of the textarea: same border width,
 * padding, font, line height, wrapping, and a scrollbar gutter reserved in
 * both (a scrollbar in only one would narrow it and change where lines wrap).
 */
const LAYER =
  "m-0 block w-full rounded-md border px-3 py-2 font-mono text-xs leading-5 whitespace-pre-wrap break-words [scrollbar-gutter:stable] [tab-size:8]";

/**
 * An EQL text area with syntax highlighting; the problem (live, or the
 * server's on save) is shown under its line with a caret.
 *
 * The textarea stays the real control (label, focus, typing, selection,
 * accessibility); its text is transparent and a highlighted copy is drawn
 * underneath, hidden from assistive technology.
 */
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
  const pieces = useMemo(() => highlightEql(value), [value]);
  const highlight = useRef<HTMLPreElement>(null);
  const problem = live ?? serverProblem;
  const lines = value.split("\n").length;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        EQL query
      </label>
      <div className="relative mt-1">
        <pre
          ref={highlight}
          aria-hidden="true"
          data-testid="query-highlight"
          className={`${LAYER} pointer-events-none absolute inset-0 overflow-hidden border-transparent bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100`}
        >
          <QueryHighlight pieces={pieces} />
          {/* A pre drops a final empty line that a textarea shows; this keeps their heights equal. */}
          {"\n"}
        </pre>
        <textarea
          id={id}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onScroll={(event) => {
            const pre = highlight.current;
            if (!pre) return;
            pre.scrollTop = event.currentTarget.scrollTop;
            pre.scrollLeft = event.currentTarget.scrollLeft;
          }}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-error` : undefined}
          rows={Math.min(Math.max(lines + 1, 4), 24)}
          className={`${LAYER} relative resize-y overflow-auto border-slate-300 bg-transparent text-transparent caret-slate-900 selection:bg-sky-400/30 selection:text-transparent aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:caret-slate-100`}
        />
      </div>
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
