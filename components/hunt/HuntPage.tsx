"use client";

import { useId, useMemo, useState } from "react";
import { QueryEditor, type QueryProblem } from "@/components/rules/QueryEditor";
import { buttonClass } from "@/components/ui/button";
import { CreateRuleFromHunt } from "./CreateRuleFromHunt";
import { ColumnChooser, DEFAULT_COLUMNS, type EventGroup, EventTable } from "./EventTable";
import { HistogramBars } from "./HistogramBars";
import {
  type HuntAnswer,
  HuntApiError,
  type HuntCount,
  type HuntScopeInput,
  huntExportHref,
  useCountHunt,
  useDeleteSavedHunt,
  useHuntHistory,
  useRunHunt,
  useSavedHunts,
  useSaveHunt,
} from "./hunt-queries";

const RANGES = [
  { value: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "365d", label: "Last 365 days", ms: 365 * 86_400_000 },
] as const;
const PAGE_SIZE = 50;
const SETTINGS = { eventCategoryField: "event.category", timestampField: "@timestamp" };
const INPUT = "rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

function describeJoinKeys(keys: unknown[] | undefined): string {
  return keys && keys.length > 0 ? keys.map((key) => (key === null ? "null" : String(key))).join(", ") : "(no key)";
}

/** Results as table groups: a lone event each for event queries, one group per sequence or sample. */
function groupsOf(answer: HuntAnswer, offset: number): EventGroup[] {
  return answer.rows.map((row, index) => ({
    key: `${offset + index}`,
    title:
      row.kind === "event"
        ? null
        : `${row.kind === "sequence" ? "Sequence" : "Sample"} ${offset + index + 1} · ${describeJoinKeys(row.joinKeys)}`,
    events: row.events.map((entry, position) => ({
      key: `${offset + index}-${position}`,
      id: entry.id,
      document: entry.event,
    })),
  }));
}

/** The Hunt page: EQL over stored events, with the rules' engine. */
export function HuntPage() {
  const formId = useId();
  const [query, setQuery] = useState('process where process.name == "curl"');
  const [range, setRange] = useState<string>("24h");
  const [scope, setScope] = useState<HuntScopeInput>({});
  const [columns, setColumns] = useState<string[]>(DEFAULT_COLUMNS);
  const [offset, setOffset] = useState(0);
  const [creatingRule, setCreatingRule] = useState(false);
  const [saveName, setSaveName] = useState("");
  const [ran, setRan] = useState<{ query: string; from: string; to: string; scope: HuntScopeInput } | null>(null);
  const hunt = useRunHunt();
  const counting = useCountHunt();
  const saved = useSavedHunts();
  const history = useHuntHistory();
  const save = useSaveHunt();
  const forget = useDeleteSavedHunt();

  const serverProblem: QueryProblem | null = useMemo(() => {
    if (!(hunt.error instanceof HuntApiError)) return null;
    const detail = hunt.error.details.find((item) => item.field === "query" && item.line !== undefined);
    return detail?.line !== undefined && detail.column !== undefined
      ? { line: detail.line, column: detail.column, message: detail.message }
      : null;
  }, [hunt.error]);

  function run(nextOffset: number, again = ran) {
    const base =
      again ??
      (() => {
        const to = new Date();
        const ms = RANGES.find((item) => item.value === range)?.ms ?? 86_400_000;
        return { query, from: new Date(to.getTime() - ms).toISOString(), to: to.toISOString(), scope };
      })();
    setRan(base);
    setOffset(nextOffset);
    const input = { query: base.query, from: base.from, to: base.to, ...base.scope };
    // A new hunt's count starts over; paging through one keeps the count it has (or is making).
    const fresh = again === null;
    if (fresh) {
      counting.cancel();
      counting.reset();
    }
    hunt.mutate(
      { ...input, offset: nextOffset, limit: PAGE_SIZE },
      {
        // The page came alone: count every result now, after it, so the count never delays the page.
        onSuccess: (page) => {
          if (fresh && !page.counted) counting.mutate(input);
        },
      },
    );
  }

  function cancel() {
    hunt.cancel();
    counting.cancel();
  }

  function load(entry: { query: string; scope: HuntScopeInput }) {
    setQuery(entry.query);
    setScope(entry.scope);
  }

  const answer = hunt.data;
  const cancelled = hunt.error instanceof DOMException && hunt.error.name === "AbortError";
  // Every result counted: by the page's own scan when it read the whole range, else by the count that follows it.
  const total: HuntCount | null = answer?.counted ? answer : (counting.data ?? null);
  const countCancelled = counting.error instanceof DOMException && counting.error.name === "AbortError";
  const stopped = answer?.stopped ?? total?.stopped ?? null;
  const scopeField = (key: keyof HuntScopeInput, label: string) => (
    <label htmlFor={`${formId}-${key}`} className="flex flex-col gap-1 text-sm">
      {label}
      <input
        id={`${formId}-${key}`}
        value={scope[key] ?? ""}
        onChange={(event) => setScope({ ...scope, [key]: event.target.value || undefined })}
        placeholder="any"
        className={INPUT}
      />
    </label>
  );

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_18rem]">
      <div className="min-w-0 space-y-4">
        <form
          className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          onSubmit={(event) => {
            event.preventDefault();
            run(0, null);
          }}
        >
          <QueryEditor
            id={`${formId}-query`}
            value={query}
            onChange={setQuery}
            settings={SETTINGS}
            serverProblem={serverProblem}
          />
          <div className="flex flex-wrap items-end gap-3">
            <label htmlFor={`${formId}-range`} className="flex flex-col gap-1 text-sm">
              Time range
              <select
                id={`${formId}-range`}
                value={range}
                onChange={(event) => setRange(event.target.value)}
                className={INPUT}
              >
                {RANGES.map((item) => (
                  <option key={item.value} value={item.value}>
                    {item.label}
                  </option>
                ))}
              </select>
            </label>
            {scopeField("containerId", "Container")}
            {scopeField("hostName", "Host")}
            {scopeField("uploadId", "Upload")}
            <button type="submit" className={buttonClass("primary")} disabled={hunt.isPending}>
              {hunt.isPending ? "Hunting…" : "Hunt"}
            </button>
            {hunt.isPending || counting.isPending ? (
              <button type="button" className={buttonClass("secondary")} onClick={cancel}>
                Cancel
              </button>
            ) : null}
          </div>
        </form>

        {cancelled ? <p className="text-sm text-slate-600">The hunt was cancelled.</p> : null}
        {hunt.isError && !cancelled && !serverProblem ? (
          <p role="alert" className="text-sm text-red-700">
            The hunt failed: {hunt.error.message}
          </p>
        ) : null}

        {answer && ran ? (
          <section
            aria-label="Hunt results"
            className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p className="text-sm" data-testid="hunt-summary">
                {total ? (
                  <>
                    <strong>{total.matches.toLocaleString("en-US")}</strong>{" "}
                    {total.matches === 1 ? "result" : "results"} · {total.eventsScanned.toLocaleString("en-US")} events
                    scanned in {(total.elapsedMs / 1000).toFixed(1)} s
                  </>
                ) : counting.isError && !countCancelled ? (
                  <>Counting the results failed: {counting.error.message}</>
                ) : countCancelled ? (
                  <>The count was cancelled; the page shown is exact.</>
                ) : (
                  <>First results in {(answer.elapsedMs / 1000).toFixed(1)} s · counting every result in the range…</>
                )}
              </p>
              <div className="flex flex-wrap items-center gap-2">
                <ColumnChooser columns={columns} onChange={setColumns} />
                <a
                  className={buttonClass("secondary")}
                  href={huntExportHref({ query: ran.query, from: ran.from, to: ran.to, ...ran.scope }, "csv")}
                  download
                >
                  Export CSV
                </a>
                <a
                  className={buttonClass("secondary")}
                  href={huntExportHref({ query: ran.query, from: ran.from, to: ran.to, ...ran.scope }, "ndjson")}
                  download
                >
                  Export NDJSON
                </a>
                <button type="button" className={buttonClass("secondary")} onClick={() => setCreatingRule(true)}>
                  Create rule from this query
                </button>
              </div>
            </div>
            {stopped ? (
              <p
                role="alert"
                data-testid="hunt-stopped"
                className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
              >
                {stopped.message}
              </p>
            ) : null}
            {Math.max(answer.unreadable, total?.unreadable ?? 0) > 0 ? (
              <p className="text-xs text-slate-500">
                {Math.max(answer.unreadable, total?.unreadable ?? 0)} events could not be read (a damaged block) and
                were skipped.
              </p>
            ) : null}
            {creatingRule ? <CreateRuleFromHunt query={ran.query} onClose={() => setCreatingRule(false)} /> : null}
            {total ? (
              <HistogramBars buckets={total.histogram} bucketMs={total.bucketMs} label="Results over time" />
            ) : (
              <p className="text-xs text-slate-500" data-testid="hunt-histogram-pending">
                The chart of results over time follows once every result is counted.
              </p>
            )}
            {answer.rows.length === 0 ? (
              <p className="text-sm text-slate-500">No results in this range and scope.</p>
            ) : (
              <EventTable groups={groupsOf(answer, offset)} columns={columns} caption="Hunt results" />
            )}
            <nav aria-label="Result pages" className="flex items-center gap-2 text-sm">
              <button
                type="button"
                className={buttonClass("secondary")}
                disabled={offset === 0 || hunt.isPending}
                onClick={() => run(Math.max(0, offset - PAGE_SIZE))}
              >
                Previous
              </button>
              <span>
                {answer.rows.length > 0 ? `${offset + 1}–${offset + answer.rows.length}` : "0"} of{" "}
                {total ? total.matches.toLocaleString("en-US") : "… (counting)"}
              </span>
              <button
                type="button"
                className={buttonClass("secondary")}
                disabled={answer.nextOffset === null || hunt.isPending}
                onClick={() => run(answer.nextOffset ?? 0)}
              >
                Next
              </button>
            </nav>
          </section>
        ) : null}
      </div>

      <aside className="space-y-4">
        <section
          aria-labelledby={`${formId}-saved`}
          className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 id={`${formId}-saved`} className="mb-2 font-semibold">
            Saved hunts
          </h2>
          <form
            className="mb-2 flex gap-1"
            onSubmit={(event) => {
              event.preventDefault();
              if (saveName.trim())
                save.mutate({ name: saveName.trim(), query, scope }, { onSuccess: () => setSaveName("") });
            }}
          >
            <input
              aria-label="Name to save this hunt as"
              value={saveName}
              onChange={(event) => setSaveName(event.target.value)}
              placeholder="Name"
              className={`${INPUT} min-w-0 flex-1`}
            />
            <button type="submit" className={buttonClass("secondary")} disabled={!saveName.trim() || save.isPending}>
              Save
            </button>
          </form>
          {save.isError ? (
            <p role="alert" className="text-xs text-red-700">
              {save.error.message}
            </p>
          ) : null}
          <ul className="space-y-1">
            {(saved.data ?? []).map((item) => (
              <li key={item.id} className="flex items-center justify-between gap-1">
                <button
                  type="button"
                  className="truncate text-left text-sky-700 hover:underline dark:text-sky-400"
                  title={item.query}
                  onClick={() => load(item)}
                >
                  {item.name}
                </button>
                <button
                  type="button"
                  aria-label={`Delete saved hunt ${item.name}`}
                  className="text-xs text-slate-500 hover:text-red-700"
                  onClick={() => forget.mutate(item.id)}
                >
                  ✕
                </button>
              </li>
            ))}
            {saved.data?.length === 0 ? <li className="text-slate-500">None yet.</li> : null}
          </ul>
        </section>
        <section
          aria-labelledby={`${formId}-history`}
          className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 id={`${formId}-history`} className="mb-2 font-semibold">
            Recent queries
          </h2>
          <ul className="space-y-1">
            {(history.data ?? []).map((entry) => (
              <li key={entry.ranAt}>
                <button
                  type="button"
                  className="w-full truncate text-left font-mono text-xs text-sky-700 hover:underline dark:text-sky-400"
                  title={entry.query}
                  onClick={() => load(entry)}
                >
                  {entry.query}
                </button>
              </li>
            ))}
            {history.data?.length === 0 ? <li className="text-slate-500">No hunts run yet.</li> : null}
          </ul>
        </section>
      </aside>
    </div>
  );
}
