import Link from "next/link";
import type { RelatedAlerts as Related, RelatedAlert } from "@/lib/db/alert-detail";
import { formatTime } from "./format";
import { Section } from "./Section";
import { SeverityBadge, StatusBadge } from "./SeverityBadge";

/** Other alerts from the same container, host, or process session, newest first. */
export function RelatedAlerts({ related }: { related: Related }) {
  const groups: { title: string; alerts: RelatedAlert[] }[] = [
    { title: "Same container", alerts: related.container },
    { title: "Same host", alerts: related.host },
    { title: "Same session / entry leader", alerts: related.session },
  ];
  return (
    <Section id="related" title="Related alerts">
      <div className="space-y-3">
        {groups.map((group) => (
          <div key={group.title}>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
              {group.title} ({group.alerts.length}
              {group.alerts.length === 10 ? "+" : ""})
            </h3>
            {group.alerts.length === 0 ? (
              <p className="text-xs text-slate-500">None.</p>
            ) : (
              <ul className="space-y-1">
                {group.alerts.map((alert) => (
                  <li key={alert.id}>
                    <Link
                      href={`/alerts/${encodeURIComponent(alert.id)}`}
                      className="flex flex-wrap items-center gap-x-2 gap-y-0.5 rounded px-1 py-0.5 text-xs hover:bg-slate-50 dark:hover:bg-slate-800"
                    >
                      <SeverityBadge severity={alert.severity} />
                      <span className="font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300">
                        {alert.ruleName}
                      </span>
                      <StatusBadge status={alert.status} />
                      <span className="text-slate-500">
                        {[alert.processName, alert.containerName ?? alert.hostName].filter(Boolean).join(" · ")}
                      </span>
                      <time dateTime={alert.timestamp} className="text-slate-500">
                        {formatTime(alert.timestamp)}
                      </time>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </Section>
  );
}
