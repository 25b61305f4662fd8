/**
 * The time buckets of the dashboard's alerts-over-time chart. The bucket size
 * follows the span shown, so that the chart never holds more than
 * MAX_BUCKETS bars: a year of alerts by day would be 365 bars of less than a
 * pixel each, drawn as an empty axis. Buckets are calendar units in UTC,
 * like the chart's labels: a week starts on Monday, a month on its first day.
 * Plain functions over Date: the browser labels the same sizes.
 */

export const BUCKET_SIZES = ["hour", "6h", "day", "week", "month", "quarter", "year"] as const;
export type BucketSize = (typeof BUCKET_SIZES)[number];

/** Enough bars to show a shape, few enough that each stays several pixels wide on a narrow screen. */
export const MAX_BUCKETS = 60;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The start of the bucket holding `time`. */
export function bucketStart(time: Date, size: BucketSize): Date {
  const year = time.getUTCFullYear();
  const month = time.getUTCMonth();
  switch (size) {
    case "hour":
      return new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);
    case "6h":
      return new Date(Math.floor(time.getTime() / (6 * HOUR_MS)) * 6 * HOUR_MS);
    case "day":
      return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
    case "week": {
      const day = Math.floor(time.getTime() / DAY_MS) * DAY_MS;
      const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
      return new Date(day - sinceMonday * DAY_MS);
    }
    case "month":
      return new Date(Date.UTC(year, month, 1));
    case "quarter":
      return new Date(Date.UTC(year, month - (month % 3), 1));
    case "year":
      return new Date(Date.UTC(year, 0, 1));
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: Date, size: BucketSize): Date {
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  switch (size) {
    case "hour":
      return new Date(start.getTime() + HOUR_MS);
    case "6h":
      return new Date(start.getTime() + 6 * HOUR_MS);
    case "day":
      return new Date(start.getTime() + DAY_MS);
    case "week":
      return new Date(start.getTime() + 7 * DAY_MS);
    case "month":
      return new Date(Date.UTC(year, month + 1, 1));
    case "quarter":
      return new Date(Date.UTC(year, month + 3, 1));
    case "year":
      return new Date(Date.UTC(year + 1, 0, 1));
  }
}

/** Every bucket start from the one holding `from` to the one holding `to`, both included; stops past `limit`. */
export function bucketStarts(from: Date, to: Date, size: BucketSize, limit = Number.POSITIVE_INFINITY): Date[] {
  const starts: Date[] = [];
  for (let start = bucketStart(from, size); start <= to && starts.length <= limit; ) {
    starts.push(start);
    start = nextBucketStart(start, size);
  }
  return starts;
}

/** The smallest bucket size that covers `from`..`to` in at most MAX_BUCKETS buckets. */
export function chooseBucketSize(from: Date, to: Date): BucketSize {
  for (const size of BUCKET_SIZES) {
    if (bucketStarts(from, to, size, MAX_BUCKETS).length <= MAX_BUCKETS) return size;
  }
  return "year";
}
