import Link from "next/link";
import type { RelatedAlerts as Related, RelatedAlert } from "@/lib/db/alert-detail";
import { formatTime } from "./format";
import { Section } from "./Section";
import { SEVERITY_TEXT } from "./SeverityBadge";

/**
 * Other alerts from the same container, host, or process session, newest
 * first. Groups fold so a busy container does not push the rest of the
 * column out of sight; the first non-empty one starts open.
 */
export function RelatedAlerts({ related }: { related: Related }) {
  const groups: { title: string; alerts: RelatedAlert[] }[] = [
    { title: "Same container", alerts: related.container },
    { title: "Same host", alerts: related.host },
    { title: "Same session / entry leader", alerts: related.session },
  ];
  const firstOpen = groups.findIndex((group) => group.alerts.length > 0);
  return (
    <Section id="related" title="Related alerts">
      <div className="space-y-2">
        {groups.map((group, index) => (
          <details key={group.title} open={index === firstOpen} className="group">
            <summary className="cursor-pointer text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
              {group.title} ({group.alerts.length}
              {group.alerts.length === 10 ? "+" : ""})
            </summary>
            {group.alerts.length === 0 ? (
              <p className="mt-1 text-xs text-slate-500">None.</p>
            ) : (
              <ul className="mt-1 divide-y divide-slate-100 dark:divide-slate-800">
                {group.alerts.map((alert) => (
                  <li key={alert.id} className="py-1">
                    <Link
                      href={`/alerts/${encodeURIComponent(alert.id)}`}
                      title={alert.ruleName}
                      className="block truncate text-xs font-medium text-sky-800 hover:underline dark:text-sky-300"
                    >
                      {alert.ruleName}
                    </Link>
                    <p className="flex flex-wrap gap-x-1.5 text-[11px] text-slate-500 dark:text-slate-400">
                      <span className={`font-semibold uppercase ${SEVERITY_TEXT[alert.severity] ?? ""}`}>
                        {alert.severity}
                      </span>
                      <span>· {alert.status}</span>
                      {alert.processName ? <span className="font-mono">· {alert.processName}</span> : null}
                      <time dateTime={alert.timestamp}>· {formatTime(alert.timestamp)}</time>
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </details>
        ))}
      </div>
    </Section>
  );
}
