"use client";

import { Fragment, useState } from "react";
import { formatName } from "./format";
import { HealthBadge } from "./HealthBadge";
import { SourceDetail } from "./SourceDetail";
import { SourceTime } from "./SourceTime";
import type { Source, SourceWindow } from "./sources-queries";

const COLUMNS = 8;

function Activity({ window, testId }: { window: SourceWindow; testId: string }) {
  return (
    <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums" data-testid={testId}>
      {window.events.toLocaleString("en-US")} <span className="text-slate-500">/</span>{" "}
      {window.alerts.toLocaleString("en-US")}
    </td>
  );
}

/** The sources, one row each; a row's name opens its detail (figures and latest errors) beneath it. */
export function SourcesTable({ sources, initiallyOpen = null }: { sources: Source[]; initiallyOpen?: string | null }) {
  const [open, setOpen] = useState<string | null>(initiallyOpen);
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Sensor sources</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-950 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              Source
            </th>
            <th scope="col" className="px-3 py-2">
              Formats
            </th>
            <th scope="col" className="px-3 py-2">
              Health
            </th>
            <th scope="col" className="px-3 py-2">
              Last seen
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              <abbr title="events / alerts in the last hour" className="no-underline">
                Last hour
              </abbr>
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              <abbr title="events / alerts in the last 24 hours" className="no-underline">
                Last day
              </abbr>
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              <abbr title="lines rejected in the last 24 hours" className="no-underline">
                Rejected
              </abbr>
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {sources.map((source) => {
            const expanded = open === source.id;
            const detailId = `source-detail-${source.id}`;
            return (
              <Fragment key={source.id}>
                <tr data-testid="source-row" className={source.revoked ? "text-slate-500" : undefined}>
                  <td className="max-w-xs px-3 py-2">
                    <span className="block truncate font-medium" data-testid="source-name" title={source.name}>
                      {source.name}
                    </span>
                    <span className="font-mono text-xs text-slate-500">{source.prefix}…</span>
                  </td>
                  <td className="px-3 py-2" data-testid="source-formats">
                    {source.formats.length ? source.formats.map(formatName).join(", ") : "—"}
                  </td>
                  <td className="px-3 py-2">
                    <HealthBadge source={source} />
                  </td>
                  <td className="px-3 py-2" data-testid="source-last-seen">
                    <SourceTime iso={source.lastSeenAt} />
                  </td>
                  <Activity window={source.lastHour} testId="source-last-hour" />
                  <Activity window={source.lastDay} testId="source-last-day" />
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="source-rejected">
                    {source.lastDay.rejected.toLocaleString("en-US")}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <button
                      type="button"
                      aria-expanded={expanded}
                      aria-controls={detailId}
                      onClick={() => setOpen(expanded ? null : source.id)}
                      className="whitespace-nowrap text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {expanded ? "Hide details" : "Details"}
                      <span className="sr-only"> of {source.name}</span>
                    </button>
                  </td>
                </tr>
                {expanded ? (
                  <tr id={detailId} className="bg-slate-50 dark:bg-slate-950">
                    <td colSpan={COLUMNS} className="px-5 py-4">
                      <SourceDetail source={source} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
