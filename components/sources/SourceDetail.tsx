import Link from "next/link";
import { formatTime } from "@/components/alerts/detail/format";
import { describeHealth, formatDuration } from "./format";
import { SourceTime } from "./SourceTime";
import type { Source, SourceWindow } from "./sources-queries";

function count(value: number): string {
  return value.toLocaleString("en-US");
}

function WindowFigures({ label, window }: { label: string; window: SourceWindow }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="tabular-nums">
        {count(window.pushes)} pushes · {count(window.events)} events · {count(window.rejected)} rejected ·{" "}
        {count(window.alerts)} alerts
      </dd>
    </div>
  );
}

/**
 * One source opened from its row: why it has its health, its figures, and the latest rejected lines.
 * Names and error messages come from whoever holds the token: rendered as text only.
 */
export function SourceDetail({ source }: { source: Source }) {
  return (
    <div className="space-y-4 text-sm" data-testid="source-detail">
      <p>{describeHealth(source)}</p>
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <div>
          <dt className="text-slate-500">Token</dt>
          <dd>
            <span className="font-mono">{source.prefix}…</span> · role {source.role} · created{" "}
            <SourceTime iso={source.createdAt} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">First push</dt>
          <dd>
            <SourceTime iso={source.firstSeenAt} />
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Usual gap between pushes</dt>
          <dd>{source.usualGapSeconds === null ? "not known yet" : formatDuration(source.usualGapSeconds)}</dd>
        </div>
        <WindowFigures label="Last hour" window={source.lastHour} />
        <WindowFigures label="Last day" window={source.lastDay} />
        <WindowFigures label="Since the first push" window={source.total} />
      </dl>

      {source.streamUploadId ? (
        <p>
          <Link
            href={`/uploads/${encodeURIComponent(source.streamUploadId)}`}
            className="text-sky-700 hover:underline dark:text-sky-400"
          >
            Stream report
          </Link>{" "}
          <span className="text-slate-500">(everything this source sent: counts, alerts by rule, rejected lines)</span>
          {" · "}
          <Link
            href={`/alerts?upload=${encodeURIComponent(source.streamUploadId)}`}
            className="text-sky-700 hover:underline dark:text-sky-400"
          >
            Alerts from {source.name}
          </Link>
        </p>
      ) : null}

      <section aria-label={`Latest errors of ${source.name}`}>
        <h3 className="mb-2 font-semibold">Latest errors</h3>
        {source.latestErrors.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No rejected lines.</p>
        ) : (
          <table className="min-w-full text-sm">
            <caption className="sr-only">Latest rejected lines of {source.name}, newest first</caption>
            <thead className="text-left text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 pr-3">
                  When
                </th>
                <th scope="col" className="py-1 pr-3 text-right">
                  Line
                </th>
                <th scope="col" className="py-1">
                  Message
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {source.latestErrors.map((error) => (
                // A push reports each line once, and its time tells pushes apart.
                <tr key={`${error.at}-${error.line}-${error.message}`} data-testid="source-error">
                  <td className="whitespace-nowrap py-1 pr-3">
                    <time dateTime={error.at}>{formatTime(error.at)}</time>
                  </td>
                  <td className="py-1 pr-3 text-right tabular-nums">{error.line}</td>
                  <td className="break-all py-1 font-mono text-xs">{error.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-2 text-xs text-slate-500">
          Line numbers count from the first line of the push that carried them.
        </p>
      </section>
    </div>
  );
}
