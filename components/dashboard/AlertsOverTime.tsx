"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DashboardFigures } from "./queries";

/** Fill colours per severity, dark enough to read against white and the dark theme. */
const SEVERITY_FILLS = [
  { key: "critical", label: "Critical", fill: "#b91c1c" },
  { key: "high", label: "High", fill: "#ea580c" },
  { key: "medium", label: "Medium", fill: "#d97706" },
  { key: "low", label: "Low", fill: "#64748b" },
] as const;

function bucketLabel(start: string, bucket: DashboardFigures["bucket"]): string {
  const date = new Date(start);
  return bucket === "hour"
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", timeZone: "UTC" })
    : date.toLocaleDateString([], { month: "short", day: "numeric", timeZone: "UTC" });
}

function bucketEnd(start: string, bucket: DashboardFigures["bucket"]): string {
  return new Date(new Date(start).getTime() + (bucket === "hour" ? 3_600_000 : 86_400_000)).toISOString();
}

/** Alerts per hour or day stacked by severity; a bar opens the alert list for that slice. */
export function AlertsOverTime({ figures }: { figures: DashboardFigures }) {
  const router = useRouter();
  const data = figures.overTime.map((entry) => ({ ...entry, label: bucketLabel(entry.start, figures.bucket) }));
  return (
    <figure aria-label="Alerts over time, by severity" className="h-72">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#cbd5e1" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip cursor={{ fill: "rgba(14,165,233,0.08)" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SEVERITY_FILLS.map((severity) => (
            <Bar
              key={severity.key}
              dataKey={severity.key}
              name={severity.label}
              stackId="severity"
              fill={severity.fill}
              cursor="pointer"
              onClick={(_, index) => {
                const entry = figures.overTime[index];
                if (!entry) return;
                const params = new URLSearchParams({
                  severity: severity.key,
                  from: entry.start,
                  to: bucketEnd(entry.start, figures.bucket),
                });
                router.push(`/alerts?${params}`);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data
          .map(
            (entry) =>
              `${entry.label}: ${entry.critical} critical, ${entry.high} high, ${entry.medium} medium, ${entry.low} low`,
          )
          .join("; ")}
      </figcaption>
    </figure>
  );
}
