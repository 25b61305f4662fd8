import type { TriggeringEvent } from "@/lib/db/alert-detail";
import { Section } from "./Section";

type Json = Record<string, unknown>;

const SENSOR_LABELS: Record<string, string> = {
  falco: "Falco",
  tetragon: "Tetragon",
  datadog: "Datadog Workload Protection",
};

/** What a sensor said about its own alert, read from the (normalised) event; null for ordinary events. */
export function sensorAlertOf(document: Json): {
  sensor: string;
  rule: string | null;
  ruleset: string | null;
  priority: string | null;
  action: string | null;
  message: string | null;
} | null {
  const event = objectAt(document, "event");
  if (event?.kind !== "alert") return null;
  const rule = objectAt(document, "rule");
  const module = typeof event.module === "string" ? event.module : "";
  return {
    sensor: SENSOR_LABELS[module] ?? (module || "Sensor"),
    rule: textOf(rule?.name),
    ruleset: textOf(rule?.ruleset),
    priority: textOf(objectAt(document, "falco")?.priority),
    action: textOf(objectAt(document, "tetragon")?.action),
    message: textOf(document.message),
  };
}

/**
 * A sensor's own alert (Falco, Tetragon, Datadog) promoted to this alert: the
 * sensor's rule and its output text, as the sensor wrote them. The text comes
 * from the monitored workload's sensor and may hold anything an attacker put
 * in a command line: it is rendered as text only.
 */
export function SensorAlert({ events }: { events: TriggeringEvent[] }) {
  const found = events.map((event) => sensorAlertOf(event.document)).find((alert) => alert !== null);
  if (!found) return null;
  return (
    <Section id="sensor-alert" title="Sensor alert">
      <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-x-3 gap-y-1">
        <dt className="text-slate-500 dark:text-slate-400">Sensor</dt>
        <dd>{found.sensor}</dd>
        {found.rule ? (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Sensor rule</dt>
            <dd className="break-words font-medium" data-testid="sensor-rule">
              {found.rule}
            </dd>
          </>
        ) : null}
        {found.ruleset ? (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Policy</dt>
            <dd className="break-words">{found.ruleset}</dd>
          </>
        ) : null}
        {found.priority ? (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Priority</dt>
            <dd>{found.priority}</dd>
          </>
        ) : null}
        {found.action ? (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Action taken</dt>
            <dd className="font-mono text-xs">{found.action}</dd>
          </>
        ) : null}
      </dl>
      {found.message ? (
        <pre
          data-testid="sensor-output"
          className="mt-2 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono text-xs text-slate-800 dark:bg-slate-950 dark:text-slate-200"
        >
          {found.message}
        </pre>
      ) : null}
    </Section>
  );
}

function objectAt(document: Json, key: string): Json | null {
  const value = document[key];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : null;
}

function textOf(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return null;
}
