"use client";

import Link from "next/link";
import type { ExceptionPreview } from "./exceptions-queries";
import { countOf, utcTime } from "./format";

function when(iso: string): string {
  return utcTime(iso, true);
}

/** What the exception would do, shown before it is saved so an over-wide one is caught. */
export function PreviewPanel({ preview }: { preview: ExceptionPreview }) {
  const suppressed = preview.rules.reduce((sum, rule) => sum + rule.eventsSuppressed, 0);
  return (
    <section
      aria-label="Impact preview"
      aria-live="polite"
      className="space-y-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950/30"
    >
      <h3 className="font-semibold">Impact preview</h3>
      <ul className="list-disc space-y-0.5 pl-5" data-testid="impact-summary">
        <li>
          <strong>{preview.alertsToClose.count.toLocaleString("en")}</strong> open{" "}
          {preview.alertsToClose.count === 1 ? "alert would be" : "alerts would be"} closed.
        </li>
        <li>
          <strong>{suppressed.toLocaleString("en")}</strong> {suppressed === 1 ? "event" : "events"} in the last{" "}
          {countOf(preview.days, "day")} would have been kept from alerting by the rules it applies to (
          {countOf(preview.eventsScanned, "stored event")} scanned).
        </li>
        <li>
          {countOf(preview.eventsMatched, "event")} {preview.eventsMatched === 1 ? "matches" : "match"} its conditions,
          whatever the rule.
        </li>
      </ul>
      {preview.alertsToClose.sample.length > 0 ? (
        <div>
          <h4 className="font-medium">Alerts that would close (sample)</h4>
          <ul className="mt-1 list-disc pl-5">
            {preview.alertsToClose.sample.map((alert) => (
              <li key={alert.id}>
                <Link className="text-sky-700 underline dark:text-sky-400" href={`/alerts/${alert.id}`}>
                  {alert.ruleName}
                </Link>{" "}
                — {when(alert.timestamp)} · {alert.processName ?? "unknown process"}
                {alert.containerName ? ` in ${alert.containerName}` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <table className="w-full text-left">
        <caption className="sr-only">Events suppressed per rule</caption>
        <thead>
          <tr className="text-xs uppercase text-slate-500">
            <th scope="col" className="py-1">
              Rule
            </th>
            <th scope="col" className="py-1">
              Events suppressed
            </th>
            <th scope="col" className="py-1">
              Sample
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.rules.map((rule) => (
            <tr key={rule.ruleId} className="border-t border-amber-200 align-top dark:border-amber-800">
              <td className="py-1 pr-3">{rule.ruleName}</td>
              <td className="py-1 pr-3">
                {rule.error ? (
                  <span className="text-red-700">query could not run: {rule.error}</span>
                ) : (
                  rule.eventsSuppressed
                )}
              </td>
              <td className="py-1">
                {rule.sample.length === 0 ? (
                  <span className="text-slate-500">none</span>
                ) : (
                  <ul>
                    {rule.sample.map((event) => (
                      <li key={event.eventId} className="font-mono text-xs">
                        {when(event.timestamp)} {event.processExecutable ?? event.processName ?? "?"}
                        {event.containerId ? ` (container ${event.containerId.slice(0, 12)})` : ""}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
          {preview.rules.length === 0 ? (
            <tr>
              <td colSpan={3} className="py-1 text-slate-500">
                The chosen scope applies to no rule.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
