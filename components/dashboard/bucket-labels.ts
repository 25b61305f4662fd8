import { type BucketSize, nextBucketStart } from "@/lib/db/dashboard-buckets";

/**
 * Axis and tooltip text for a bucket of the alerts-over-time chart, in UTC
 * like the buckets themselves: the axis names the bucket as briefly as its
 * size allows ("14:00", "Nov 23", "Nov 2026", "Q4 2026"), the tooltip says the
 * whole period ("Week of Nov 23, 2026").
 */

const utc = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
const TIME = utc({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const DAY = utc({ month: "short", day: "numeric" });
const DAY_AND_YEAR = utc({ month: "short", day: "numeric", year: "numeric" });
const MONTH_AND_YEAR = utc({ month: "short", year: "numeric" });

const quarter = (date: Date) => `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;

/** Short text for the axis. Hours name their day too when the chart spans more than one. */
export function axisLabel(start: string, size: BucketSize, spansDays: boolean): string {
  const date = new Date(start);
  switch (size) {
    case "hour":
    case "6h":
      return spansDays ? `${DAY.format(date)} ${TIME.format(date)}` : TIME.format(date);
    case "day":
    case "week":
      return DAY.format(date);
    case "month":
      return MONTH_AND_YEAR.format(date);
    case "quarter":
      return quarter(date);
    case "year":
      return String(date.getUTCFullYear());
  }
}

/** The whole period a bucket covers, for the tooltip. */
export function periodLabel(start: string, size: BucketSize): string {
  const date = new Date(start);
  switch (size) {
    case "hour":
    case "6h": {
      const end = nextBucketStart(date, size);
      return `${DAY_AND_YEAR.format(date)}, ${TIME.format(date)}–${TIME.format(end).replace("00:00", "24:00")}`;
    }
    case "day":
      return DAY_AND_YEAR.format(date);
    case "week":
      return `Week of ${DAY_AND_YEAR.format(date)}`;
    case "month":
      return MONTH_AND_YEAR.format(date);
    case "quarter":
      return quarter(date);
    case "year":
      return String(date.getUTCFullYear());
  }
}

/** The last millisecond of a bucket, ISO: the alert list's `to` includes it, so a bar's list stops there. */
export function bucketLastInstant(start: string, size: BucketSize): string {
  return new Date(nextBucketStart(new Date(start), size).getTime() - 1).toISOString();
}
