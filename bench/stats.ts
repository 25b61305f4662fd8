/**
 * The arithmetic behind the benchmark's verdicts: latency percentiles,
 * whether time grows linearly with the input, and whether memory stays flat.
 * Pure functions, so the thresholds are tested rather than eyeballed.
 */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The p-th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest
 * sample with at least p% of the samples at or below it. With 20 samples the
 * p95 is the 19th smallest; no interpolation invents a latency nobody saw.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile: no samples");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], not ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  return {
    count: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    mean: samples.reduce((sum, value) => sum + value, 0) / samples.length,
  };
}

export interface ScalePoint {
  events: number;
  millis: number;
  /** Peak resident set size, bytes. */
  peakRss: number;
}

/** Time per event of a measurement (a scale point or an engine pass), in microseconds. */
export function microsPerEvent(point: Pick<ScalePoint, "events" | "millis">): number {
  return (point.millis * 1000) / point.events;
}

/**
 * Time is called linear when the time per event at the largest scale is at
 * most `tolerance` times that at the smallest (1.25 by default: disk cache
 * and GC noise move a run by 10-20%; a log-linear or quadratic cost shows as
 * far more over a 4× range). Needs two scales at least.
 */
export function linearity(points: readonly ScalePoint[], tolerance = 1.25): { ratio: number; linear: boolean } | null {
  const ordered = [...points].sort((a, b) => a.events - b.events);
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last || first === last || first.millis <= 0) return null;
  const ratio = microsPerEvent(last) / microsPerEvent(first);
  return { ratio, linear: ratio <= tolerance };
}

/**
 * Memory is called flat when peak RSS at the largest scale is at most
 * `tolerance` times that at the smallest (1.25 by default), i.e. it does not
 * follow the input, which grows 4× over the default scales.
 */
export function flatness(points: readonly ScalePoint[], tolerance = 1.25): { ratio: number; flat: boolean } | null {
  const ordered = [...points].sort((a, b) => a.events - b.events);
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last || first === last || first.peakRss <= 0) return null;
  const ratio = last.peakRss / first.peakRss;
  return { ratio, flat: ratio <= tolerance };
}

/** "1e6,2e6,4e6" or "1000000, 2_000_000" → [1000000, 2000000, 4000000], sorted, duplicates dropped. */
export function parseScales(text: string, name = "BENCH_SCALES"): number[] {
  const values = text
    .split(",")
    .map((part) => part.trim().replace(/_/g, ""))
    .filter((part) => part !== "")
    .map((part) => {
      const value = Number(part);
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new Error(`${name}: "${part}" is not a positive whole number of events`);
      }
      return value;
    });
  if (values.length === 0) throw new Error(`${name} names no scale`);
  return [...new Set(values)].sort((a, b) => a - b);
}
