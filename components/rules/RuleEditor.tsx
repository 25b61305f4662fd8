"use client";

import { type FormEvent, useMemo, useState } from "react";
import type { Rule } from "@/lib/rules/schema";
import { AlertShapeFields, alertShapeDraft, alertShapePatch } from "./AlertShapeFields";
import { checkQuery, QueryEditor, type QueryProblem } from "./QueryEditor";
import { RulesApiError, useUpdateRule } from "./rules-queries";

const SEVERITIES = ["low", "medium", "high", "critical"] as const;
const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

/**
 * Edits what an analyst tunes most: severity, risk, tags, whether the rule
 * runs, its query, and how its alerts take name and severity from the event. The server validates again and keeps the previous
 * version; `baseVersion` makes a save over someone else's newer edit a 409.
 */
export function RuleEditor({
  rule,
  onDone,
  onQueryChange,
}: {
  rule: Rule;
  onDone: () => void;
  /** Told of every edit of the query, so the preview can run the unsaved text. */
  onQueryChange?: (query: string) => void;
}) {
  const update = useUpdateRule(rule.id);
  const [severity, setSeverity] = useState(rule.severity);
  const [risk, setRisk] = useState(String(rule.riskScore));
  const [tags, setTags] = useState(rule.tags.join("\n"));
  const [enabled, setEnabled] = useState(rule.enabled);
  const [query, setQueryState] = useState(rule.query);
  const [shape, setShape] = useState(() => alertShapeDraft(rule));
  const setQuery = (next: string) => {
    setQueryState(next);
    onQueryChange?.(next);
  };
  const settings = useMemo(
    () => ({
      eventCategoryField: rule.eventCategoryField,
      timestampField: rule.timestampField,
      tiebreakerField: rule.tiebreakerField,
    }),
    [rule.eventCategoryField, rule.timestampField, rule.tiebreakerField],
  );

  const issues = update.error instanceof RulesApiError ? update.error.details : [];
  const fieldError = (field: string) => issues.find((issue) => issue.field === field)?.message;
  const serverQuery = issues.find((issue) => issue.field === "query");
  const serverProblem: QueryProblem | null =
    serverQuery && serverQuery.line !== undefined
      ? { line: serverQuery.line, column: serverQuery.column ?? 1, message: serverQuery.message }
      : null;
  const riskNumber = Number(risk);
  const riskError =
    risk.trim() === "" || !Number.isInteger(riskNumber) || riskNumber < 0 || riskNumber > 100
      ? "Enter a whole number from 0 to 100"
      : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (riskError || checkQuery(query, settings)) return;
    const tagList = tags
      .split("\n")
      .map((tag) => tag.trim())
      .filter(Boolean);
    update.mutate(
      {
        baseVersion: rule.version,
        severity,
        riskScore: riskNumber,
        tags: tagList,
        enabled,
        query,
        ...alertShapePatch(shape),
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Edit rule">
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor="rule-severity" className="block text-sm font-medium">
            Severity
          </label>
          <select
            id="rule-severity"
            value={severity}
            onChange={(event) => setSeverity(event.target.value as Rule["severity"])}
            className={inputClass}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <FieldError message={fieldError("severity")} />
        </div>
        <div>
          <label htmlFor="rule-risk" className="block text-sm font-medium">
            Risk score
          </label>
          <input
            id="rule-risk"
            inputMode="numeric"
            value={risk}
            onChange={(event) => setRisk(event.target.value)}
            aria-invalid={Boolean(riskError ?? fieldError("riskScore"))}
            className={inputClass}
          />
          <FieldError message={riskError ?? fieldError("riskScore")} />
        </div>
        <label className="flex items-center gap-2 self-end pb-2 text-sm font-medium">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          Enabled
        </label>
      </div>
      <div>
        <label htmlFor="rule-tags" className="block text-sm font-medium">
          Tags <span className="font-normal text-slate-500">(one per line)</span>
        </label>
        <textarea
          id="rule-tags"
          value={tags}
          onChange={(event) => setTags(event.target.value)}
          rows={Math.min(Math.max(rule.tags.length + 1, 3), 10)}
          className={inputClass}
        />
        <FieldError message={issues.find((issue) => issue.field.startsWith("tags"))?.message} />
      </div>
      <QueryEditor
        id="rule-query"
        value={query}
        onChange={setQuery}
        settings={settings}
        serverProblem={serverProblem}
      />
      <AlertShapeFields draft={shape} onChange={setShape} errorOf={fieldError} />
      {update.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {update.error.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={update.isPending}
          className="rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-60"
        >
          {update.isPending ? "Saving…" : "Save"}
        </button>
        <button
          type="button"
          onClick={onDone}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function FieldError({ message }: { message: string | undefined }) {
  return message ? <p className="mt-1 text-xs text-red-700 dark:text-red-400">{message}</p> : null;
}
