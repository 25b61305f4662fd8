import { z } from "zod";
import { prisma } from "./client";
import { type BucketSize, bucketStart, bucketStarts, chooseBucketSize } from "./dashboard-buckets";

/**
 * The dashboard's figures, read from AlertRollup: per-hour counts that
 * triggers on Alert keep exact (see the alert_rollup migration), so a month
 * of a million alerts is a few thousand rows instead of a table scan. Ranges
 * therefore start at the hour: "last 24 hours" at 10:40 counts from 10:00
 * yesterday. Times are the alerts' event times: uploads of old files show
 * where their detections happened, not when the file arrived.
 * The chart's bucket size follows the span shown (lib/db/dashboard-buckets):
 * the range up to now, or for "all" the first to the last alert.
 */

export const DASHBOARD_RANGES = {
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  all: null,
} as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

export const DashboardQuerySchema = z.object({
  range: z.enum(Object.keys(DASHBOARD_RANGES) as [DashboardRange, ...DashboardRange[]]).default("30d"),
});

const TOP = 8;
const SEVERITIES = ["low", "medium", "high", "critical"] as const;

export interface TimeBucket {
  /** Start of the bucket, ISO. */
  start: string;
  low: number;
  medium: number;
  high: number;
  critical: number;
}

export interface DashboardFigures {
  range: DashboardRange;
  from: string | null;
  bucket: BucketSize;
  total: number;
  /** Every bucket of the span in order, empty ones included, so the axis reads as time; empty when total is 0. */
  overTime: TimeBucket[];
  topRules: { ruleId: string; ruleName: string; count: number }[];
  topImages: { imageName: string; count: number }[];
  topContainers: { containerId: string; containerName: string; count: number }[];
  /** Every alert by status, whatever the range: the work queue. */
  byStatus: { status: string; count: number }[];
  /** Mean minutes from an alert's creation to its acknowledgement / closing, over alerts in range. */
  meanMinutesToAcknowledge: number | null;
  meanMinutesToClose: number | null;
}

type Row = Record<string, unknown>;

const asNumber = (value: unknown): number => (typeof value === "bigint" ? Number(value) : Number(value ?? 0));

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** "2026-11-23T08": the hour key the rollup is stored under. */
const hourKey = (time: Date): string => time.toISOString().slice(0, 13);

/**
 * Per-container counts are also kept per day (a month holds too many
 * container-hours to add up quickly): the range is the hours before the
 * first whole day, then whole days.
 */
function containerSplit(fromHour: string | null): { hoursFrom: string; daysFrom: string } {
  if (fromHour === null) return { hoursFrom: "", daysFrom: "" };
  const start = new Date(`${fromHour}:00:00.000Z`);
  const midnight =
    start.getTime() % DAY_MS === 0 ? start.getTime() : start.getTime() - (start.getTime() % DAY_MS) + DAY_MS;
  return { hoursFrom: fromHour, daysFrom: new Date(midnight).toISOString().slice(0, 10) };
}

/** The first and last hour holding an alert, for "all": the chart spans the data, not the calendar. */
async function alertHours(): Promise<{ first: Date; last: Date } | null> {
  const rows = await prisma().$queryRaw<Row[]>`SELECT MIN("hour") AS first, MAX("hour") AS last
    FROM "AlertRollup" WHERE "dimension" = 'severity' AND "count" > 0`;
  const first = rows[0]?.first;
  const last = rows[0]?.last;
  if (typeof first !== "string" || typeof last !== "string") return null;
  return { first: new Date(`${first}:00:00.000Z`), last: new Date(`${last}:00:00.000Z`) };
}

/** "2026-11-23T08" (an hour) or "2026-11-23" (a day) as the time it starts. */
const keyTime = (key: string): Date => new Date(key.length === 13 ? `${key}:00:00.000Z` : `${key}T00:00:00.000Z`);

/** Sums per hour (or per day, for day and longer buckets) folded into buckets, every bucket of the span present. */
function overTimeSeries(rows: Row[], size: BucketSize, span: { first: Date; last: Date }): TimeBucket[] {
  const buckets = new Map<number, TimeBucket>(
    bucketStarts(span.first, span.last, size).map((start) => [
      start.getTime(),
      { start: start.toISOString(), low: 0, medium: 0, high: 0, critical: 0 },
    ]),
  );
  for (const row of rows) {
    const entry = buckets.get(bucketStart(keyTime(String(row.bucket)), size).getTime());
    const severity = String(row.severity);
    if (entry && (SEVERITIES as readonly string[]).includes(severity))
      entry[severity as (typeof SEVERITIES)[number]] += asNumber(row.n);
  }
  return [...buckets.values()];
}

/**
 * The span the chart covers: the range up to now, or for "all" the first to
 * the last alert. An alert stamped after now (a sensor's clock ahead) stretches
 * it, so that the bucket size is chosen for every bucket drawn.
 */
async function chartSpan(from: Date | null, now: Date): Promise<{ first: Date; last: Date } | null> {
  const hours = await alertHours();
  if (from === null) return hours;
  return { first: from, last: hours && hours.last > now ? hours.last : now };
}

export async function dashboardFigures(range: DashboardRange, now = new Date()): Promise<DashboardFigures> {
  const span = DASHBOARD_RANGES[range];
  const from = span === null ? null : new Date(Math.floor((now.getTime() - span) / HOUR_MS) * HOUR_MS);
  const extent = await chartSpan(from, now);
  const bucket = extent ? chooseBucketSize(extent.first, extent.last) : "day";
  // Hour keys are "YYYY-MM-DDTHH": the first 13 characters name the hour, the first 10 the day.
  const width = bucket === "hour" || bucket === "6h" ? 13 : 10;
  const fromHour = from ? hourKey(from) : "";
  const { hoursFrom, daysFrom } = containerSplit(from ? fromHour : null);
  const db = prisma();
  // One SQL for both databases: aliases quoted (PostgreSQL folds bare names to lower case), HAVING on the aggregate
  // itself and a named subquery (PostgreSQL 15 accepts neither an output name there nor an unnamed subquery).

  const [overTime, topRules, topImages, topContainers, byStatus, means] = await Promise.all([
    db.$queryRaw<Row[]>`SELECT substr("hour", 1, ${width}) AS bucket, "key" AS severity, SUM("count") AS n
      FROM "AlertRollup" WHERE "dimension" = 'severity' AND "hour" >= ${fromHour}
      GROUP BY bucket, "key" HAVING SUM("count") > 0 ORDER BY bucket`,
    db.$queryRaw<Row[]>`SELECT "key" AS "ruleId", MAX("label") AS "ruleName", SUM("count") AS n
      FROM "AlertRollup" WHERE "dimension" = 'rule' AND "hour" >= ${fromHour}
      GROUP BY "key" HAVING SUM("count") > 0 ORDER BY n DESC LIMIT ${TOP}`,
    db.$queryRaw<Row[]>`SELECT "key" AS "imageName", SUM("count") AS n
      FROM "AlertRollup" WHERE "dimension" = 'image' AND "hour" >= ${fromHour}
      GROUP BY "key" HAVING SUM("count") > 0 ORDER BY n DESC LIMIT ${TOP}`,
    db.$queryRaw<Row[]>`SELECT "key" AS "containerId", MAX("label") AS "containerName", SUM("count") AS n FROM (
        SELECT "key", "label", "count" FROM "AlertRollup"
          WHERE "dimension" = 'container' AND "hour" >= ${hoursFrom} AND "hour" < ${daysFrom}
        UNION ALL
        SELECT "key", "label", "count" FROM "AlertRollup"
          WHERE "dimension" = 'container-day' AND "hour" >= ${daysFrom}
      ) AS "containerCounts" GROUP BY "key" HAVING SUM("count") > 0 ORDER BY n DESC LIMIT ${TOP}`,
    db.$queryRaw<Row[]>`SELECT "key" AS status, SUM("count") AS n FROM "AlertRollup"
      WHERE "dimension" = 'status' GROUP BY "key" HAVING SUM("count") > 0`,
    db.$queryRaw<Row[]>`SELECT "dimension", SUM("minutes") AS minutes, SUM("count") AS n FROM "AlertRollup"
      WHERE "dimension" IN ('ack', 'close') AND "hour" >= ${fromHour} GROUP BY "dimension"`,
  ]);

  const total = overTime.reduce((sum, row) => sum + asNumber(row.n), 0);
  const series = extent && total > 0 ? overTimeSeries(overTime, bucket, extent) : [];
  const meanOf = (dimension: "ack" | "close"): number | null => {
    const row = means.find((entry) => entry.dimension === dimension);
    const count = asNumber(row?.n);
    return row && count > 0 ? Math.round((Number(row.minutes) / count) * 10) / 10 : null;
  };
  return {
    range,
    from: from?.toISOString() ?? null,
    bucket,
    total,
    overTime: series,
    topRules: topRules.map((row) => ({
      ruleId: String(row.ruleId),
      ruleName: String(row.ruleName),
      count: asNumber(row.n),
    })),
    topImages: topImages.map((row) => ({ imageName: String(row.imageName), count: asNumber(row.n) })),
    topContainers: topContainers.map((row) => ({
      containerId: String(row.containerId),
      containerName: row.containerName === null ? String(row.containerId) : String(row.containerName),
      count: asNumber(row.n),
    })),
    byStatus: byStatus.map((row) => ({ status: String(row.status), count: asNumber(row.n) })),
    meanMinutesToAcknowledge: meanOf("ack"),
    meanMinutesToClose: meanOf("close"),
  };
}
