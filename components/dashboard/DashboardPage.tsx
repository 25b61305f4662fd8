"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { LoadSampleButton } from "@/components/samples/LoadSampleButton";
import { SampleDataNotice } from "@/components/samples/SampleDataNotice";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { AlertsOverTime } from "./AlertsOverTime";
import { FailingChannels } from "./FailingChannels";
import { type DashboardFigures, type DashboardRange, useDashboardFigures } from "./queries";
import { SystemStatus } from "./SystemStatus";
import { TopList } from "./TopList";

const RANGES: { value: DashboardRange; label: string }[] = [
  { value: "24h", label: "24 hours" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "all", label: "All time" },
];

const STATUSES = [
  { status: "open", label: "Open" },
  { status: "acknowledged", label: "Acknowledged" },
  { status: "closed", label: "Closed" },
];

function alertsLink(params: Record<string, string>, from: string | null): string {
  const search = new URLSearchParams(params);
  if (from) search.set("from", from);
  return `/alerts?${search}`;
}

function duration(minutes: number | null): string {
  if (minutes === null) return "—";
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

function RangePicker({ range }: { range: DashboardRange }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <fieldset className="flex rounded-md border border-slate-300 dark:border-slate-700">
      <legend className="sr-only">Time range</legend>
      {RANGES.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={option.value === range}
          onClick={() => router.replace(`${pathname}?range=${option.value}`)}
          className="px-3 py-1.5 text-sm first:rounded-l-md last:rounded-r-md focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 aria-pressed:bg-sky-600 aria-pressed:text-white"
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}

function StatusAndResponse({ figures }: { figures: DashboardFigures }) {
  const counts = new Map(figures.byStatus.map((entry) => [entry.status, entry.count]));
  return (
    <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
      {STATUSES.map(({ status, label }) => (
        <div
          key={status}
          className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
        >
          <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">{label} alerts</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums">
            <Link
              href={`/alerts?status=${status}`}
              className="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
            >
              {(counts.get(status) ?? 0).toLocaleString("en-US")}
            </Link>
          </dd>
        </div>
      ))}
      <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">Mean time to acknowledge</dt>
        <dd className="mt-1 text-2xl font-semibold">{duration(figures.meanMinutesToAcknowledge)}</dd>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">Mean time to close</dt>
        <dd className="mt-1 text-2xl font-semibold">{duration(figures.meanMinutesToClose)}</dd>
      </div>
    </dl>
  );
}

function Figures({ figures }: { figures: DashboardFigures }) {
  const everAlerted = figures.byStatus.some((entry) => entry.count > 0);
  if (!everAlerted) {
    return (
      <EmptyState title="No alerts yet" action={{ href: "/uploads", label: "Upload an events file" }}>
        Keelwatch raises alerts when events match its detection rules. Upload an events file (NDJSON or a JSON array,
        gzip welcome) from Elastic Defend for Containers, Falco, Tetragon or Datadog to see them here, or start with a
        sample incident.
        <LoadSampleButton className="mt-4" />
      </EmptyState>
    );
  }
  return (
    <div className="space-y-6">
      <StatusAndResponse figures={figures} />
      <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="text-sm font-semibold">
          Alerts over time{" "}
          <span className="font-normal text-slate-600 dark:text-slate-400">
            ({figures.total.toLocaleString("en-US")} in range, by event time)
          </span>
        </h2>
        {figures.total === 0 ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            No alerts in this range. Try a longer one: uploaded files keep their events' own times.
          </p>
        ) : (
          <AlertsOverTime figures={figures} />
        )}
      </section>
      <div className="grid gap-4 lg:grid-cols-3">
        <TopList
          title="Top rules"
          empty="No rule fired in this range."
          items={figures.topRules.map((rule) => ({
            key: rule.ruleId,
            label: rule.ruleName,
            count: rule.count,
            href: alertsLink({ rule: rule.ruleId }, figures.from),
          }))}
        />
        <TopList
          title="Top images"
          empty="No alert named a container image in this range."
          items={figures.topImages.map((image) => ({
            key: image.imageName,
            label: image.imageName,
            count: image.count,
            href: alertsLink({ q: image.imageName }, figures.from),
          }))}
        />
        <TopList
          title="Top containers"
          empty="No alert came from a container in this range."
          items={figures.topContainers.map((container) => ({
            key: container.containerId,
            label: container.containerName,
            count: container.count,
            href: alertsLink({ container: container.containerId }, figures.from),
          }))}
        />
      </div>
    </div>
  );
}

export function DashboardPage() {
  const params = useSearchParams();
  const requested = params.get("range");
  const range = RANGES.find((option) => option.value === requested)?.value ?? "30d";
  const figures = useDashboardFigures(range);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Detections from your containers at a glance. Every figure opens the alerts behind it."
        actions={<RangePicker range={range} />}
      />
      <div className="space-y-6">
        <SampleDataNotice />
        <SystemStatus />
        <FailingChannels />
        {figures.isPending ? (
          <div
            role="status"
            aria-label="Loading figures"
            className="h-72 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800"
          />
        ) : figures.isError ? (
          <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
            The dashboard figures could not be loaded: {figures.error.message} Reload the page to try again.
          </p>
        ) : (
          <Figures figures={figures.data} />
        )}
      </div>
    </>
  );
}
