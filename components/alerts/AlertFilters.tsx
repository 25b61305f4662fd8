"use client";

import { useEffect, useId, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { severityLabel, statusLabel } from "@/components/ui/severity";
import { useUpload } from "@/components/uploads/uploads-queries";
import { ALERT_STATUSES, SEVERITIES } from "@/lib/db/alert-list-query";
import { useRuleOptions } from "./list-queries";
import { type AlertListFilter, hasActiveFilters, TIME_RANGES, type TimeRange } from "./list-state";

export const SEARCH_INPUT_ID = "alert-search";

const RANGE_LABELS: Record<TimeRange, string> = {
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

const FIELD =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

/** Toggle chips for a multi-valued filter; aria-pressed tells screen readers which are on. */
function ToggleGroup<T extends string>({
  legend,
  values,
  selected,
  label,
  onChange,
}: {
  legend: string;
  values: readonly T[];
  selected: readonly T[];
  label: (value: T) => string;
  onChange: (next: T[]) => void;
}) {
  return (
    <fieldset className="flex items-center gap-1">
      <legend className="sr-only">{legend}</legend>
      <span aria-hidden="true" className="mr-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        {legend}
      </span>
      {values.map((value) => {
        const on = selected.includes(value);
        return (
          <button
            key={value}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? selected.filter((item) => item !== value) : [...selected, value])}
            className={`rounded-full border px-2.5 py-1 text-xs font-medium ${
              on
                ? "border-sky-700 bg-sky-700 text-white dark:border-sky-500 dark:bg-sky-600"
                : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300 dark:hover:bg-slate-800"
            }`}
          >
            {label(value)}
          </button>
        );
      })}
    </fieldset>
  );
}

/** `datetime-local` speaks "YYYY-MM-DDTHH:mm" without a zone; the list shows and filters in UTC. */
function toInputValue(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : "";
}

function fromInputValue(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(`${value}:00Z`);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The free-text box: typing updates the URL after a pause, not on every key. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string | undefined) => void }) {
  const [draft, setDraft] = useState(value);
  const search = useRef(onSearch);
  search.current = onSearch;
  // Follow the URL (back button, "clear filters") without undoing a space just typed.
  useEffect(() => setDraft((current) => (current.trim() === value ? current : value)), [value]);
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => search.current(draft.trim() || undefined), 300);
    return () => clearTimeout(timer);
  }, [draft, value]);
  return (
    <div className="flex min-w-64 flex-1 items-center gap-2">
      <label htmlFor={SEARCH_INPUT_ID} className="sr-only">
        Search alerts
      </label>
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") onSearch(draft.trim() || undefined);
          // Escape leaves the box for the list's shortcuts; Chromium would otherwise also empty it.
          if (event.key === "Escape") {
            event.preventDefault();
            event.currentTarget.blur();
          }
        }}
        placeholder="Search rule, container, image, host, process, command line, user  ( / )"
        className={`${FIELD} w-full`}
      />
    </div>
  );
}

export function AlertFilters({
  filter,
  onChange,
  loadRuleOptions = true,
}: {
  filter: AlertListFilter;
  onChange: (next: AlertListFilter, options?: { replace?: boolean }) => void;
  /** false holds back the rule list's request (a grouping over every alert) so something more urgent goes first */
  loadRuleOptions?: boolean;
}) {
  const rules = useRuleOptions(loadRuleOptions);
  const ruleId = useId();
  const rangeId = useId();
  const fromId = useId();
  const toId = useId();
  const custom = !filter.range && Boolean(filter.from || filter.to);
  const [showCustom, setShowCustom] = useState(custom);
  const rangeValue = filter.range ?? (custom || showCustom ? "custom" : "");

  return (
    <section aria-label="Filters" className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
        <SearchBox value={filter.q ?? ""} onSearch={(q) => onChange({ ...filter, q }, { replace: true })} />
        <div className="flex items-center gap-2">
          <label htmlFor={ruleId} className="text-xs font-medium text-slate-600 dark:text-slate-400">
            Rule
          </label>
          <select
            id={ruleId}
            value={filter.rule ?? ""}
            onChange={(event) => onChange({ ...filter, rule: event.target.value || undefined })}
            className={`${FIELD} max-w-72`}
          >
            <option value="">All rules</option>
            {filter.rule && !rules.data?.some((rule) => rule.id === filter.rule) ? (
              <option value={filter.rule}>{filter.rule}</option>
            ) : null}
            {rules.data?.map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.name} ({rule.count.toLocaleString()})
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor={rangeId} className="text-xs font-medium text-slate-600 dark:text-slate-400">
            Time
          </label>
          <select
            id={rangeId}
            value={rangeValue}
            onChange={(event) => {
              const value = event.target.value;
              if (value === "custom") {
                setShowCustom(true);
                onChange({ ...filter, range: undefined });
                return;
              }
              setShowCustom(false);
              const range = value === "" ? undefined : (value as TimeRange);
              onChange({ ...filter, range, from: undefined, to: undefined });
            }}
            className={FIELD}
          >
            <option value="">Any time</option>
            {(Object.keys(TIME_RANGES) as TimeRange[]).map((range) => (
              <option key={range} value={range}>
                {RANGE_LABELS[range]}
              </option>
            ))}
            <option value="custom">Custom range…</option>
          </select>
        </div>
        {rangeValue === "custom" ? (
          <div className="flex items-center gap-2">
            <label htmlFor={fromId} className="text-xs font-medium text-slate-600 dark:text-slate-400">
              From (UTC)
            </label>
            <input
              id={fromId}
              type="datetime-local"
              value={toInputValue(filter.from)}
              onChange={(event) => onChange({ ...filter, from: fromInputValue(event.target.value) }, { replace: true })}
              className={FIELD}
            />
            <label htmlFor={toId} className="text-xs font-medium text-slate-600 dark:text-slate-400">
              To (UTC)
            </label>
            <input
              id={toId}
              type="datetime-local"
              value={toInputValue(filter.to)}
              onChange={(event) => onChange({ ...filter, to: fromInputValue(event.target.value) }, { replace: true })}
              className={FIELD}
            />
          </div>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <ToggleGroup
          legend="Status"
          values={ALERT_STATUSES}
          selected={filter.status}
          label={statusLabel}
          onChange={(status) => onChange({ ...filter, status })}
        />
        <ToggleGroup
          legend="Severity"
          values={[...SEVERITIES].reverse()}
          selected={filter.severity}
          label={severityLabel}
          onChange={(severity) => onChange({ ...filter, severity })}
        />
        {filter.container ? (
          <RemovableFilter
            label="Container"
            value={filter.container}
            onRemove={() => onChange({ ...filter, container: undefined })}
          />
        ) : null}
        {filter.host ? (
          <RemovableFilter label="Host" value={filter.host} onRemove={() => onChange({ ...filter, host: undefined })} />
        ) : null}
        {filter.upload ? (
          <UploadFilter uploadId={filter.upload} onRemove={() => onChange({ ...filter, upload: undefined })} />
        ) : null}
        {hasActiveFilters(filter) ? (
          <button
            type="button"
            onClick={() => {
              setShowCustom(false);
              onChange({ status: [], severity: [], sort: filter.sort });
            }}
            className={buttonClass("ghost", "text-xs")}
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </section>
  );
}

/**
 * The `upload` filter, named by its file, or by its sensor when it is a source's stream (lib/db/sources.ts names
 * those uploads "stream: <token name>"). Until the name arrives, or if the upload is gone, the id stands in.
 */
function UploadFilter({ uploadId, onRemove }: { uploadId: string; onRemove: () => void }) {
  const upload = useUpload(uploadId);
  const fileName = upload.data?.fileName;
  const stream = fileName?.startsWith(STREAM_PREFIX) ? fileName.slice(STREAM_PREFIX.length) : undefined;
  return stream !== undefined ? (
    <RemovableFilter label="Source" value={stream} onRemove={onRemove} />
  ) : (
    <RemovableFilter label="Upload" value={fileName ?? uploadId} onRemove={onRemove} />
  );
}

const STREAM_PREFIX = "stream: ";

function RemovableFilter({ label, value, onRemove }: { label: string; value: string; onRemove: () => void }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full border border-slate-300 bg-slate-100 py-0.5 pl-2.5 pr-1 text-xs dark:border-slate-600 dark:bg-slate-800">
      <span className="text-slate-600 dark:text-slate-400">{label}:</span>
      <span className="max-w-48 truncate font-medium">{value}</span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${label.toLowerCase()} filter ${value}`}
        className="rounded-full px-1.5 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-700"
      >
        ×
      </button>
    </span>
  );
}
