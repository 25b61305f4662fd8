/**
 * A rule's lookback (`from` in Elastic rules) is date math such as `now-6m`.
 * For uploaded files "now" is the time of the events being processed, so only
 * the span matters: how far before a batch a sequence may have begun.
 */
const UNIT_MILLIS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `now-<n><unit>`, or null when the text is not that shape. */
export function lookbackMillis(text: string | null | undefined): number | null {
  const match = /^now-(\d+)([smhd])$/.exec(text?.trim() ?? "");
  if (!match) return null;
  return Number(match[1]) * (UNIT_MILLIS[match[2] as string] as number);
}

/** The most history any sequence rule asks for; stored events older than this are never replayed. */
export const MAX_LOOKBACK_MILLIS = 7 * 86_400_000;
