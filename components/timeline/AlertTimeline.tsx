"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { Section } from "@/components/alerts/detail/Section";
import { ColumnChooser, DEFAULT_COLUMNS, EventTable } from "@/components/hunt/EventTable";
import { HistogramBars } from "@/components/hunt/HistogramBars";
import { buttonClass } from "@/components/ui/button";

/**
 * The events around an alert: its container's (or host's, or session's) in a
 * window of ±N minutes, with a histogram marking the alert, filters by
 * category and action, and an export of the whole timeline.
 */

interface TimelineEvent {
  id: number;
  timestamp: string;
  category: string | null;
  action: string | null;
  document: Record<string, unknown>;
}

interface TimelineAnswer {
  alert: { id: string; timestamp: string; eventIds: number[] };
  scopeValue: string;
  from: string;
  to: string;
  total: number;
  histogramCapped: boolean;
  bucketMs: number;
  histogram: { start: string; count: number }[];
  facets: { categories: { value: string; count: number }[]; actions: { value: string; count: number }[] };
  items: TimelineEvent[];
  nextCursor: string | null;
}

const SCOPES = [
  { value: "container", label: "Container" },
  { value: "host", label: "Host" },
  { value: "session", label: "Session" },
] as const;
const WINDOWS = [1, 5, 15, 60, 360, 1440];
const INPUT = "rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-900";

async function fetchTimeline(alertId: string, params: URLSearchParams): Promise<TimelineAnswer> {
  const response = await fetch(`/api/alerts/${encodeURIComponent(alertId)}/timeline?${params}`, { cache: "no-store" });
  const body = (await response.json().catch(() => null)) as (TimelineAnswer & { error?: { message: string } }) | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
  return body as TimelineAnswer;
}

export function AlertTimeline({ alertId }: { alertId: string }) {
  const formId = useId();
  const [scope, setScope] = useState("container");
  const [window, setWindow] = useState(5);
  const [category, setCategory] = useState("");
  const [action, setAction] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const [columns, setColumns] = useState<string[]>(DEFAULT_COLUMNS.filter((column) => column !== "container.id"));
  const filter = useMemo(() => {
    const params = new URLSearchParams({ scope, window: String(window) });
    if (category) params.set("category", category);
    if (action) params.set("action", action);
    return params;
  }, [scope, window, category, action]);
  const cursor = cursors.at(-1);
  const timeline = useQuery({
    queryKey: ["alert", alertId, "timeline", filter.toString(), cursor ?? ""],
    queryFn: () => {
      const params = new URLSearchParams(filter);
      if (cursor) params.set("cursor", cursor);
      return fetchTimeline(alertId, params);
    },
    placeholderData: (previous) => previous,
  });
  const change = (apply: () => void) => {
    apply();
    setCursors([]);
  };
  const data = timeline.data;
  const exportHref = (format: string) =>
    `/api/alerts/${encodeURIComponent(alertId)}/timeline/export?${filter}&format=${format}`;

  return (
    <Section
      id="timeline"
      title="Timeline"
      actions={
        <>
          <a className={buttonClass("ghost", "text-xs")} href={exportHref("csv")} download>
            Export CSV
          </a>
          <a className={buttonClass("ghost", "text-xs")} href={exportHref("ndjson")} download>
            Export NDJSON
          </a>
        </>
      }
    >
      <div className="mb-3 flex flex-wrap items-end gap-2 text-xs">
        <label htmlFor={`${formId}-scope`} className="flex flex-col gap-1">
          Events of the alert's
          <select
            id={`${formId}-scope`}
            value={scope}
            onChange={(event) => change(() => setScope(event.target.value))}
            className={INPUT}
          >
            {SCOPES.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${formId}-window`} className="flex flex-col gap-1">
          Window
          <select
            id={`${formId}-window`}
            value={window}
            onChange={(event) => change(() => setWindow(Number(event.target.value)))}
            className={INPUT}
          >
            {WINDOWS.map((minutes) => (
              <option key={minutes} value={minutes}>
                ±{minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${formId}-category`} className="flex flex-col gap-1">
          Category
          <select
            id={`${formId}-category`}
            value={category}
            onChange={(event) => change(() => setCategory(event.target.value))}
            className={INPUT}
          >
            <option value="">all</option>
            {data?.facets.categories.map((facet) => (
              <option key={facet.value} value={facet.value}>
                {facet.value} ({facet.count})
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${formId}-action`} className="flex flex-col gap-1">
          Action
          <select
            id={`${formId}-action`}
            value={action}
            onChange={(event) => change(() => setAction(event.target.value))}
            className={INPUT}
          >
            <option value="">all</option>
            {data?.facets.actions.map((facet) => (
              <option key={facet.value} value={facet.value}>
                {facet.value} ({facet.count})
              </option>
            ))}
          </select>
        </label>
        <div className="ml-auto">
          <ColumnChooser columns={columns} onChange={setColumns} />
        </div>
      </div>
      {timeline.isError ? (
        <p role="alert" className="text-red-700">
          {timeline.error.message}
        </p>
      ) : null}
      {timeline.isPending ? <p className="text-slate-500">Loading the timeline…</p> : null}
      {data ? (
        <div className="space-y-2">
          <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="timeline-summary">
            {data.total.toLocaleString("en-US")} events of {scope} <span className="font-mono">{data.scopeValue}</span>{" "}
            from {data.from.slice(11, 19)} to {data.to.slice(11, 19)} UTC
            {data.histogramCapped ? " (the chart counts the first 100,000)" : ""}
          </p>
          <HistogramBars
            buckets={data.histogram}
            bucketMs={data.bucketMs}
            marked={data.alert.timestamp}
            label="Events around the alert"
          />
          {data.items.length === 0 ? (
            <p className="text-slate-500">No events in this window.</p>
          ) : (
            <EventTable
              caption="Events around the alert"
              columns={columns}
              highlight={new Set(data.alert.eventIds)}
              groups={[
                {
                  key: "events",
                  title: null,
                  events: data.items.map((item) => ({ key: String(item.id), id: item.id, document: item.document })),
                },
              ]}
            />
          )}
          <nav aria-label="Timeline pages" className="flex gap-2">
            <button
              type="button"
              className={buttonClass("secondary", "text-xs")}
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Earlier
            </button>
            <button
              type="button"
              className={buttonClass("secondary", "text-xs")}
              disabled={!data.nextCursor}
              onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
            >
              Later
            </button>
          </nav>
        </div>
      ) : null}
    </Section>
  );
}
