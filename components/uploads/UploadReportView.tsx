import Link from "next/link";
import { formatCount } from "./format";

export interface ReportFigures {
  uploadId: string;
  fileName: string;
  status: string;
  events: { received: number; accepted: number; rejected: number; duplicate: number };
  alerts: { created: number; suppressed: number; suppressedByException: number; duplicate: number };
  rules: { ruleId: string; ruleName: string; created: number }[];
  errors: { line: number; message: string }[];
  errorCount: number;
  failureReason?: string | null;
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: "bad" | "good" }) {
  const color =
    tone === "bad" && value > 0
      ? "text-red-700 dark:text-red-300"
      : tone === "good" && value > 0
        ? "text-emerald-700 dark:text-emerald-300"
        : "";
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={`text-xl font-semibold tabular-nums ${color}`}>{formatCount(value)}</dd>
    </div>
  );
}

/** The alert list narrowed to the alerts this upload raised (those of one rule when given). */
function alertsOf(uploadId: string, ruleId?: string): string {
  const params = new URLSearchParams(ruleId ? { rule: ruleId, upload: uploadId } : { upload: uploadId });
  return `/alerts?${params}`;
}

/** What one upload produced: counts, alerts per rule (with links), and the lines that were refused. */
export function UploadReportView({ report }: { report: ReportFigures }) {
  const hiddenErrors = report.errorCount - report.errors.length;
  return (
    <section aria-label={`Report for ${report.fileName}`} className="space-y-5">
      {report.failureReason ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          The upload stopped: {report.failureReason}. Everything stored before that point is kept; upload the file again
          to add the rest without duplicates.
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-7">
        <Figure label="Events received" value={report.events.received} />
        <Figure label="Accepted" value={report.events.accepted} tone="good" />
        <Figure label="Rejected" value={report.events.rejected} tone="bad" />
        <Figure label="Already stored" value={report.events.duplicate} />
        <Figure label="Alerts created" value={report.alerts.created} tone="bad" />
        <Figure label="Suppressed" value={report.alerts.suppressed} />
        <Figure label="Already alerted" value={report.alerts.duplicate} />
      </dl>
      {report.alerts.suppressed > 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {formatCount(report.alerts.suppressedByException)} of the suppressed matches were covered by a false-positive
          exception; {formatCount(report.alerts.suppressed - report.alerts.suppressedByException)} were over a rule's
          limit of alerts per run.
        </p>
      ) : null}
      {report.events.duplicate > 0 && report.events.duplicate === report.events.accepted ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Every event in this file was already stored by an earlier upload: nothing new was added.
        </p>
      ) : null}

      <div>
        <div className="flex items-baseline justify-between gap-3">
          <h3 className="text-sm font-semibold">Alerts by rule</h3>
          {report.alerts.created > 0 ? (
            <Link href={alertsOf(report.uploadId)} className="text-sm text-sky-700 hover:underline dark:text-sky-400">
              All {formatCount(report.alerts.created)} alerts it raised
            </Link>
          ) : null}
        </div>
        {report.rules.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No rule raised a new alert.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {report.rules.map((rule) => (
              <li key={rule.ruleId} className="flex items-center justify-between px-3 py-2 text-sm">
                <Link
                  href={alertsOf(report.uploadId, rule.ruleId)}
                  className="text-sky-700 hover:underline dark:text-sky-400"
                >
                  {rule.ruleName}
                </Link>
                <span className="tabular-nums">{formatCount(rule.created)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>

      {report.errorCount > 0 ? (
        <div>
          <h3 className="text-sm font-semibold">Refused lines</h3>
          <ul className="mt-2 max-h-80 overflow-auto rounded-md border border-slate-200 font-mono text-xs dark:border-slate-800">
            {report.errors.map((error) => (
              <li
                key={`${error.line}:${error.message}`}
                className="border-b border-slate-100 px-3 py-1.5 dark:border-slate-800"
              >
                <span className="text-slate-600 dark:text-slate-400">line {error.line}:</span> {error.message}
              </li>
            ))}
          </ul>
          {hiddenErrors > 0 ? (
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              … and {formatCount(hiddenErrors)} more refused lines (the first {formatCount(report.errors.length)} are
              kept).
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
