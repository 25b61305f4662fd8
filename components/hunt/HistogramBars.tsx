"use client";

/**
 * Counts over time as bars. Every bucket of the range is drawn (empty ones as
 * gaps), so the axis is the range; a marked instant (the alert) is drawn as a
 * red line at its place.
 */
export interface HistogramBucket {
  start: string;
  count: number;
}

function label(iso: string, bucketMs: number): string {
  const date = new Date(iso);
  return bucketMs >= 86_400_000
    ? date.toISOString().slice(0, 10)
    : date
        .toISOString()
        .slice(bucketMs >= 60_000 ? 5 : 11, bucketMs >= 60_000 ? 16 : 19)
        .replace("T", " ");
}

export function HistogramBars({
  buckets,
  bucketMs,
  marked,
  label: chartLabel,
}: {
  buckets: readonly HistogramBucket[];
  bucketMs: number;
  marked?: string | undefined;
  label: string;
}) {
  const highest = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const first = buckets[0];
  const last = buckets.at(-1);
  const start = first ? Date.parse(first.start) : 0;
  const span = Math.max(1, buckets.length * bucketMs);
  const markedAt = marked ? ((Date.parse(marked) - start) / span) * 100 : null;
  return (
    <figure aria-label={chartLabel} className="w-full">
      <div className="relative flex h-20 items-end gap-px border-b border-slate-300 dark:border-slate-700">
        {buckets.map((bucket) => (
          <div
            key={bucket.start}
            title={`${label(bucket.start, bucketMs)}: ${bucket.count}`}
            data-testid="histogram-bar"
            data-count={bucket.count}
            className="flex-1 bg-sky-600/80 dark:bg-sky-500/80"
            style={{ height: bucket.count === 0 ? 0 : `${Math.max(4, (bucket.count / highest) * 100)}%` }}
          />
        ))}
        {markedAt !== null && markedAt >= 0 && markedAt <= 100 ? (
          <div
            data-testid="histogram-marker"
            title="the alert"
            className="absolute top-0 bottom-0 w-0.5 bg-red-600"
            style={{ left: `${markedAt}%` }}
          />
        ) : null}
      </div>
      {first && last ? (
        <figcaption className="mt-1 flex justify-between text-[11px] text-slate-500">
          <span>{label(first.start, bucketMs)}</span>
          <span>{chartLabel}</span>
          <span>{label(last.start, bucketMs)}</span>
        </figcaption>
      ) : null}
    </figure>
  );
}
