import { z } from "zod";
import { Prisma } from "../generated/prisma/client";
import { prisma } from "./client";

/**
 * The dashboard's figures, each one SQL aggregate over the Alert table (its
 * indexes on timestamp, rule, status and severity), so they stay quick with a
 * million alerts. Times are the alerts' event times: uploads of old files show
 * where their detections happened, not when the file arrived.
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
  bucket: "hour" | "day";
  total: number;
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

/** Alerts in range; `range=all` has no lower bound. */
function inRange(from: Date | null): Prisma.Sql {
  return from ? Prisma.sql`"timestamp" >= ${from}` : Prisma.sql`1 = 1`;
}

export async function dashboardFigures(range: DashboardRange, now = new Date()): Promise<DashboardFigures> {
  const span = DASHBOARD_RANGES[range];
  const from = span === null ? null : new Date(now.getTime() - span);
  const bucket = range === "24h" ? "hour" : "day";
  // Stored times are ISO text: the first 13 characters name the hour, the first 10 the day.
  const width = bucket === "hour" ? 13 : 10;
  const where = inRange(from);
  const db = prisma();

  const [overTime, topRules, topImages, topContainers, byStatus, means] = await Promise.all([
    db.$queryRaw<Row[]>`SELECT substr("timestamp", 1, ${width}) AS bucket, "severity", COUNT(*) AS count
      FROM "Alert" WHERE ${where} GROUP BY bucket, "severity" ORDER BY bucket`,
    db.$queryRaw<Row[]>`SELECT "ruleId", MAX("ruleName") AS ruleName, COUNT(*) AS count
      FROM "Alert" WHERE ${where} GROUP BY "ruleId" ORDER BY count DESC LIMIT ${TOP}`,
    db.$queryRaw<Row[]>`SELECT "imageName", COUNT(*) AS count FROM "Alert"
      WHERE ${where} AND "imageName" IS NOT NULL GROUP BY "imageName" ORDER BY count DESC LIMIT ${TOP}`,
    db.$queryRaw<Row[]>`SELECT "containerId", MAX("containerName") AS containerName, COUNT(*) AS count FROM "Alert"
      WHERE ${where} AND "containerId" IS NOT NULL GROUP BY "containerId" ORDER BY count DESC LIMIT ${TOP}`,
    db.$queryRaw<Row[]>`SELECT "status", COUNT(*) AS count FROM "Alert" GROUP BY "status"`,
    db.$queryRaw<Row[]>`SELECT
        AVG((julianday("acknowledgedAt") - julianday("createdAt")) * 1440) AS ack,
        AVG((julianday("closedAt") - julianday("createdAt")) * 1440) AS close
      FROM "Alert" WHERE ${where}`,
  ]);

  const buckets = new Map<string, TimeBucket>();
  for (const row of overTime) {
    const key = String(row.bucket);
    const entry = buckets.get(key) ?? {
      start: bucket === "hour" ? `${key}:00:00.000Z` : `${key}T00:00:00.000Z`,
      low: 0,
      medium: 0,
      high: 0,
      critical: 0,
    };
    const severity = String(row.severity);
    if ((SEVERITIES as readonly string[]).includes(severity))
      entry[severity as (typeof SEVERITIES)[number]] += asNumber(row.count);
    buckets.set(key, entry);
  }
  const series = [...buckets.values()];
  const mean = means[0] ?? {};
  const minutes = (value: unknown) =>
    value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10;
  return {
    range,
    from: from?.toISOString() ?? null,
    bucket,
    total: series.reduce((sum, entry) => sum + entry.low + entry.medium + entry.high + entry.critical, 0),
    overTime: series,
    topRules: topRules.map((row) => ({
      ruleId: String(row.ruleId),
      ruleName: String(row.ruleName),
      count: asNumber(row.count),
    })),
    topImages: topImages.map((row) => ({ imageName: String(row.imageName), count: asNumber(row.count) })),
    topContainers: topContainers.map((row) => ({
      containerId: String(row.containerId),
      containerName: row.containerName === null ? String(row.containerId) : String(row.containerName),
      count: asNumber(row.count),
    })),
    byStatus: byStatus.map((row) => ({ status: String(row.status), count: asNumber(row.count) })),
    meanMinutesToAcknowledge: minutes(mean.ack),
    meanMinutesToClose: minutes(mean.close),
  };
}
