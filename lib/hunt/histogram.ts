/**
 * Counts over time for the hunt and timeline charts. The bucket size comes
 * from the range so that a chart has at most about `targetBuckets` bars,
 * whatever the range: a minute's window gets seconds, a month gets hours.
 */
const STEPS_MS = [
  1_000,
  5_000,
  10_000,
  30_000,
  60_000,
  5 * 60_000,
  10 * 60_000,
  30 * 60_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
  30 * 86_400_000,
];

export function bucketSizeFor(rangeMs: number, targetBuckets = 60): number {
  for (const step of STEPS_MS) if (rangeMs / step <= targetBuckets) return step;
  return STEPS_MS[STEPS_MS.length - 1] as number;
}

export interface HistogramBucket {
  /** start of the bucket, ISO-8601 */
  start: string;
  count: number;
}

/** A histogram over [from, to): every bucket listed, empty ones with 0, so the chart's axis is the range. */
export class Histogram {
  readonly bucketMs: number;
  private readonly origin: number;
  private readonly counts: number[];

  constructor(from: Date, to: Date, targetBuckets = 60) {
    const range = Math.max(1, to.getTime() - from.getTime());
    this.bucketMs = bucketSizeFor(range, targetBuckets);
    this.origin = Math.floor(from.getTime() / this.bucketMs) * this.bucketMs;
    this.counts = new Array(Math.ceil((to.getTime() - this.origin) / this.bucketMs)).fill(0);
  }

  add(time: number): void {
    const index = Math.floor((time - this.origin) / this.bucketMs);
    if (index >= 0 && index < this.counts.length) this.counts[index] = (this.counts[index] as number) + 1;
  }

  buckets(): HistogramBucket[] {
    return this.counts.map((count, index) => ({
      start: new Date(this.origin + index * this.bucketMs).toISOString(),
      count,
    }));
  }
}
