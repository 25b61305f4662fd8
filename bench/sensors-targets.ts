/**
 * Issue 21's targets from the sensors figures: ratios measured in one run on
 * one server, so a busy machine moves both sides of each ratio alike, plus
 * the bulk upload's absolute rate and the server's peak RSS. Pure: sensors.ts
 * measures, this decides and formats.
 */
import { BATCH_SIZE, IN_FLIGHT, type LoadFigure, type SensorsResult } from "./sensors";
import type { Grid } from "./table";
import type { Section, Verdict } from "./targets";

export const SENSOR_TARGETS = {
  /** 1-event POSTs/s against GET /api/health requests/s */
  singleToHealth: 0.8,
  /** events/s in 100-event POSTs against events/s of one bulk file */
  batchToBulk: 0.8,
  bulkEventsPerSecond: 9_500,
  peakRssMib: 300,
} as const;

const count = (n: number) => Math.round(n).toLocaleString("en-US");
const mib = (bytes: number) => bytes / 1024 ** 2;
const perSecond = (amount: number, millis: number) => (millis > 0 ? (amount * 1000) / millis : 0);

function failedNote(name: string, figure: LoadFigure): string[] {
  if (figure.failed === 0) return [];
  return [`**${name}: ${figure.failed} of ${figure.requests} requests failed**, e.g. ${figure.failures.join(" · ")}`];
}

/** A ratio verdict; unmet when a side had failed requests, since its rate then counts only part of the work. */
function ratioVerdict(
  target: string,
  numerator: { rate: number; label: string },
  denominator: { rate: number; label: string },
  limit: number,
  failed: number,
): Verdict {
  const ratio = denominator.rate > 0 ? numerator.rate / denominator.rate : 0;
  return {
    target,
    measured:
      `${ratio.toFixed(2)}× (${count(numerator.rate)} ${numerator.label} / ${count(denominator.rate)} ${denominator.label})` +
      (failed > 0 ? `; ${failed} requests failed` : ""),
    met: failed === 0 && ratio >= limit,
  };
}

export function sensorsSection(result: SensorsResult): { sections: Section[]; verdicts: Verdict[] } {
  const healthRate = perSecond(result.health.ok, result.health.millis);
  const singleRate = perSecond(result.single.ok, result.single.millis);
  const batchEventsRate = perSecond(result.batch.events, result.batch.millis);
  const bulkRate = perSecond(result.bulk.accepted, result.bulk.millis);
  const loadRow = (name: string, figure: LoadFigure, eventsPerRequest: number): string[] => [
    name,
    count(figure.requests),
    count(figure.events),
    (figure.millis / 1000).toFixed(2),
    count(perSecond(figure.ok, figure.millis)),
    eventsPerRequest > 0 ? count(perSecond(figure.events, figure.millis)) : "",
    figure.latency.p50.toFixed(1),
    figure.latency.p95.toFixed(1),
    String(figure.failed),
  ];
  const grid: Grid = {
    headers: ["measurement", "requests", "events", "seconds", "requests/s", "events/s", "p50 ms", "p95 ms", "failed"],
    rows: [
      loadRow("GET /api/health", result.health, 0),
      loadRow("1-event POST (Falcosidekick webhook)", result.single, 1),
      loadRow(`${BATCH_SIZE}-event POST, gzip NDJSON`, result.batch, BATCH_SIZE),
      [
        "bulk file upload (?filename=)",
        "1",
        count(result.bulk.accepted),
        (result.bulk.millis / 1000).toFixed(2),
        "",
        count(bulkRate),
        "",
        "",
        result.bulk.accepted === result.bulk.events ? "0" : "1",
      ],
    ],
    right: [1, 2, 3, 4, 5, 6, 7, 8],
  };
  const notes = [
    `one \`next start\` on a fresh SQLite database, an ingest token; ${IN_FLIGHT} requests in flight on keep-alive ` +
      "connections (node:http Agent); every event distinct. Health and 1-event POSTs ran in two alternating halves " +
      "(p50/p95: the larger of the halves)",
    "1-event POST: a real Falco alert as Falcosidekick's webhook sends it (one JSON object, application/json), uuid " +
      `and time changed per request; ${BATCH_SIZE}-event POSTs: generated cloud_defend events, Content-Encoding: gzip, ` +
      "as Fluent Bit (json_lines) and Vector (ndjson) send them; bulk: the generated NDJSON file in one POST with " +
      `?filename= (${(mib(result.bulk.bytes) / 1024).toFixed(2)} GiB), after the pushes`,
    `server RSS: ${mib(result.idleRss).toFixed(0)} MiB idle at start; peak (VmHWM) ${mib(result.peakRssBeforeBulk).toFixed(0)} MiB ` +
      `after health and pushes, ${mib(result.peakRss).toFixed(0)} MiB after the bulk upload; ` +
      `${count(result.bulk.alerts)} alerts from the bulk file`,
    ...failedNote("GET /api/health", result.health),
    ...failedNote("1-event POSTs", result.single),
    ...failedNote(`${BATCH_SIZE}-event POSTs`, result.batch),
    ...(result.bulk.accepted === result.bulk.events
      ? []
      : [`**bulk upload accepted ${count(result.bulk.accepted)} of ${count(result.bulk.events)} events**`]),
  ];
  const verdicts: Verdict[] = [
    ratioVerdict(
      `1-event POSTs/s ≥ ${SENSOR_TARGETS.singleToHealth} × GET /api/health requests/s (${IN_FLIGHT} in flight, keep-alive)`,
      { rate: singleRate, label: "POSTs/s" },
      { rate: healthRate, label: "health/s" },
      SENSOR_TARGETS.singleToHealth,
      result.single.failed + result.health.failed,
    ),
    ratioVerdict(
      `events/s in ${BATCH_SIZE}-event POSTs ≥ ${SENSOR_TARGETS.batchToBulk} × events/s of one bulk file`,
      { rate: batchEventsRate, label: "events/s" },
      { rate: bulkRate, label: "bulk events/s" },
      SENSOR_TARGETS.batchToBulk,
      result.batch.failed,
    ),
    {
      target: `bulk file upload ≥ ${count(SENSOR_TARGETS.bulkEventsPerSecond)} events/s`,
      measured: `${count(bulkRate)} events/s (${count(result.bulk.accepted)} of ${count(result.bulk.events)} events accepted)`,
      met: result.bulk.accepted === result.bulk.events && bulkRate >= SENSOR_TARGETS.bulkEventsPerSecond,
    },
    {
      target: `server peak RSS ≤ ${SENSOR_TARGETS.peakRssMib} MiB during a ${count(result.bulk.events)}-event bulk upload`,
      measured: `${mib(result.peakRss).toFixed(0)} MiB`,
      met: mib(result.peakRss) <= SENSOR_TARGETS.peakRssMib,
    },
  ];
  return { sections: [{ title: "Sensors", grid, notes }], verdicts };
}
