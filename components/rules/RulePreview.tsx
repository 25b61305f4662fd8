"use client";

import { type FormEvent, useId, useState } from "react";
import { buttonClass, inputClass } from "@/components/settings/fields";
import { PRESET_RANGES, type PresetRange, previewScope, type SampleStep, sampleStep } from "./preview-request";
import { QueryError } from "./QueryEditor";
import { type RulePreviewResult, RulesApiError, usePreviewRule, useRecentUploads } from "./rules-queries";

type SourceKind = PresetRange | "custom" | "upload";

interface FieldSettings {
  eventCategoryField: string;
  timestampField: string;
  tiebreakerField?: string | undefined;
}

const SAMPLE_LIMIT = 50;

/** ISO times as "2026-11-23 08:00:01" (UTC, like the rest of the app); anything else as stored. */
function shortTime(value: string | null): string {
  if (value === null) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace("T", " ").slice(0, 19);
}

/**
 * Runs the rule's current query — the edited one while the editor is open,
 * saved or not — over stored events of a time range or one upload, and shows
 * what it would match. Nothing is written: no alerts, no rule run recorded.
 */
export function RulePreview({
  query,
  settings,
  edited,
}: {
  query: string;
  settings: FieldSettings;
  /** The query differs from the saved rule's (the editor is open with changes). */
  edited: boolean;
}) {
  const id = useId();
  const [kind, setKind] = useState<SourceKind>("7d");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [uploadId, setUploadId] = useState("");
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const preview = usePreviewRule();
  const uploads = useRecentUploads(kind === "upload");

  function run(event: FormEvent) {
    event.preventDefault();
    const source =
      kind === "custom"
        ? ({ kind, from, to } as const)
        : kind === "upload"
          ? ({ kind, uploadId } as const)
          : ({ kind: "preset", range: kind } as const);
    if (query.trim() === "") {
      setChoiceError("Write a query to preview.");
      return;
    }
    const scope = previewScope(source, new Date());
    if (!scope.ok) {
      setChoiceError(scope.error);
      return;
    }
    setChoiceError(null);
    preview.mutate({ query, ...settings, scope: scope.scope, limit: SAMPLE_LIMIT });
  }

  // The query the shown result (or error) belongs to; the analyst may have typed on since.
  const ranQuery = preview.variables?.query;
  const stale = ranQuery !== undefined && ranQuery !== query;
  const queryIssue =
    preview.error instanceof RulesApiError
      ? preview.error.details.find((issue) => issue.field === "query" && issue.line !== undefined)
      : undefined;

  return (
    <div className="space-y-3">
      <form onSubmit={run} aria-label="Preview rule" className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-source`} className="block text-sm font-medium">
            Events to run over
          </label>
          <select
            id={`${id}-source`}
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as SourceKind);
              setChoiceError(null);
            }}
            className={inputClass}
          >
            {(Object.keys(PRESET_RANGES) as PresetRange[]).map((range) => (
              <option key={range} value={range}>
                {PRESET_RANGES[range].label}
              </option>
            ))}
            <option value="custom">Custom range…</option>
            <option value="upload">One upload…</option>
          </select>
        </div>
        {kind === "custom" ? (
          <>
            <div>
              <label htmlFor={`${id}-from`} className="block text-sm font-medium">
                From (UTC)
              </label>
              <input
                id={`${id}-from`}
                type="datetime-local"
                value={from}
                onChange={(event) => setFrom(event.target.value)}
                className={inputClass}
              />
            </div>
            <div>
              <label htmlFor={`${id}-to`} className="block text-sm font-medium">
                To (UTC)
              </label>
              <input
                id={`${id}-to`}
                type="datetime-local"
                value={to}
                onChange={(event) => setTo(event.target.value)}
                className={inputClass}
              />
            </div>
          </>
        ) : null}
        {kind === "upload" ? (
          <div className="min-w-64">
            <label htmlFor={`${id}-upload`} className="block text-sm font-medium">
              Upload
            </label>
            <select
              id={`${id}-upload`}
              value={uploadId}
              onChange={(event) => setUploadId(event.target.value)}
              className={inputClass}
            >
              <option value="">{uploads.isPending ? "Loading uploads…" : "Choose an upload…"}</option>
              {(uploads.data ?? []).map((upload) => (
                <option key={upload.id} value={upload.id}>
                  {upload.fileName} — {shortTime(upload.createdAt)} ({upload.eventsAccepted} events)
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className={buttonClass} disabled={preview.isPending}>
          {preview.isPending ? "Running…" : "Run preview"}
        </button>
      </form>
      <p className="text-xs text-slate-500">
        {edited ? "Runs the edited query, saved or not. " : "Runs the saved query. "}
        Nothing is written: no alerts are raised.
      </p>

      {choiceError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {choiceError}
        </p>
      ) : null}
      {uploads.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not list uploads: {uploads.error.message}
        </p>
      ) : null}

      {preview.isError ? (
        queryIssue && ranQuery !== undefined ? (
          <div data-testid="preview-error">
            <p className="text-sm font-medium text-red-700 dark:text-red-400">The preview could not run the query.</p>
            <QueryError
              id={`${id}-query-error`}
              query={ranQuery}
              problem={{ line: queryIssue.line ?? 1, column: queryIssue.column ?? 1, message: queryIssue.message }}
            />
          </div>
        ) : (
          <p role="alert" data-testid="preview-error" className="text-sm text-red-700 dark:text-red-400">
            The preview failed: {preview.error.message}
          </p>
        )
      ) : null}

      {preview.data ? (
        <PreviewResult result={preview.data} timestampField={settings.timestampField} stale={stale} />
      ) : null}
    </div>
  );
}

function scopeText(scope: RulePreviewResult["scope"]): string {
  return "uploadId" in scope ? "in the chosen upload" : `from ${shortTime(scope.from)} to ${shortTime(scope.to)} UTC`;
}

function PreviewResult({
  result,
  timestampField,
  stale,
}: {
  result: RulePreviewResult;
  timestampField: string;
  stale: boolean;
}) {
  const shown = result.sample.length;
  return (
    <section aria-label="Preview results" aria-live="polite" className="space-y-2">
      <p data-testid="preview-summary" className="text-sm">
        <strong>{result.matches.toLocaleString()}</strong> match{result.matches === 1 ? "" : "es"} in{" "}
        <strong>{result.eventsScanned.toLocaleString()}</strong> event{result.eventsScanned === 1 ? "" : "s"} scanned{" "}
        {scopeText(result.scope)}.{result.matches > shown ? ` Showing the first ${shown}.` : ""}
      </p>
      {stale ? (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          The query has changed since this preview ran; run it again to see the new matches.
        </p>
      ) : null}
      {shown > 0 ? (
        <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-700">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Sample matches</caption>
            <thead className="bg-slate-50 uppercase text-slate-500 dark:bg-slate-800">
              <tr>
                <th scope="col" className="px-2 py-1.5">
                  Time (UTC)
                </th>
                <th scope="col" className="px-2 py-1.5">
                  Container
                </th>
                <th scope="col" className="px-2 py-1.5">
                  Process
                </th>
                <th scope="col" className="px-2 py-1.5">
                  Command line
                </th>
              </tr>
            </thead>
            <tbody>
              {result.sample.map((match, index) => (
                <MatchRows
                  // biome-ignore lint/suspicious/noArrayIndexKey: a match has no id; its place in the sample is stable
                  key={index}
                  steps={match.events.map((event, step) =>
                    sampleStep(event, match.eventIds[step] ?? null, timestampField),
                  )}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** One row per event; a sequence's events are grouped under a top border and marked by step. */
function MatchRows({ steps }: { steps: SampleStep[] }) {
  return (
    <>
      {steps.map((step, index) => (
        <tr
          // biome-ignore lint/suspicious/noArrayIndexKey: the steps of one match keep their order
          key={index}
          data-testid={index === 0 ? "preview-match" : undefined}
          className={`align-top ${index === 0 ? "border-t border-slate-200 dark:border-slate-700" : ""}`}
        >
          {step.missing ? (
            <td colSpan={4} className="px-2 py-1 italic text-slate-500">
              {steps.length > 1 ? `step ${index + 1}: ` : ""}no event (the sequence expects this one to be absent)
            </td>
          ) : (
            <>
              <td className="whitespace-nowrap px-2 py-1 font-mono">
                {steps.length > 1 ? <span className="mr-1 text-slate-500">{index + 1}.</span> : null}
                {shortTime(step.time)}
              </td>
              <td className="px-2 py-1 [overflow-wrap:anywhere]">
                <div>{step.container ?? "—"}</div>
                {step.image ? <div className="text-slate-500">{step.image}</div> : null}
              </td>
              {/* Paths and command lines wrap between words; a column never gets narrower than its longest word. */}
              <td className="px-2 py-1 font-mono break-words">{step.process ?? "—"}</td>
              <td className="px-2 py-1 font-mono break-words">{step.commandLine ?? "—"}</td>
            </>
          )}
        </tr>
      ))}
    </>
  );
}
