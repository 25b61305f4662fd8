/** The measurements of the investigate part (bench/investigate.ts), selectable with BENCH_INVESTIGATE. */
export const INVESTIGATE_MEASUREMENTS = ["session", "timeline", "hunt", "sequence", "exception-preview"] as const;
export type InvestigateMeasurement = (typeof INVESTIGATE_MEASUREMENTS)[number];
