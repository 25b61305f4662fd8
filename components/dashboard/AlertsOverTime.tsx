"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useReducedMotion } from "@/components/ui/use-reduced-motion";
import { axisLabel, bucketLastInstant, periodLabel } from "./bucket-labels";
import type { DashboardFigures } from "./queries";

/** Fill colours per severity, dark enough to read against white and the dark theme. */
const SEVERITY_FILLS = [
  { key: "critical", label: "Critical", fill: "#b91c1c" },
  { key: "high", label: "High", fill: "#ea580c" },
  { key: "medium", label: "Medium", fill: "#d97706" },
  { key: "low", label: "Low", fill: "#64748b" },
] as const;

const DAY_MS = 86_400_000;

/**
 * Alerts per bucket (an hour up to a year, chosen by the server from the span)
 * stacked by severity; a bar opens the alert list for that slice.
 */
export function AlertsOverTime({ figures }: { figures: DashboardFigures }) {
  const router = useRouter();
  const reducedMotion = useReducedMotion();
  const first = figures.overTime[0]?.start;
  const last = figures.overTime.at(-1)?.start;
  const spansDays = first !== undefined && last !== undefined && Date.parse(last) - Date.parse(first) >= DAY_MS;
  const data = figures.overTime.map((entry) => ({
    ...entry,
    label: axisLabel(entry.start, figures.bucket, spansDays),
    period: periodLabel(entry.start, figures.bucket),
  }));
  return (
    <figure aria-label="Alerts over time, by severity" className="h-72">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#cbd5e1" />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip
            cursor={{ fill: "rgba(14,165,233,0.08)" }}
            labelFormatter={(label, payload) => payload?.[0]?.payload?.period ?? label}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SEVERITY_FILLS.map((severity) => (
            <Bar
              key={severity.key}
              dataKey={severity.key}
              name={severity.label}
              stackId="severity"
              fill={severity.fill}
              isAnimationActive={!reducedMotion}
              cursor="pointer"
              onClick={(_, index) => {
                const entry = figures.overTime[index];
                if (!entry) return;
                // The first bucket may start before the range does: the list opens on the range's part of it.
                const from = figures.from !== null && figures.from > entry.start ? figures.from : entry.start;
                const params = new URLSearchParams({
                  severity: severity.key,
                  from,
                  to: bucketLastInstant(entry.start, figures.bucket),
                });
                router.push(`/alerts?${params}`);
              }}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data
          .filter((entry) => entry.critical + entry.high + entry.medium + entry.low > 0)
          .map(
            (entry) =>
              `${entry.period}: ${entry.critical} critical, ${entry.high} high, ${entry.medium} medium, ${entry.low} low`,
          )
          .join("; ")}
      </figcaption>
    </figure>
  );
}
