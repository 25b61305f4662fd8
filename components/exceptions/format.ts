/** "1 alert", "3 alerts": notices read as sentences, not "alert(s)". */
export function countOf(count: number, noun: string): string {
  return `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * "2026-11-23 10:47 UTC": the app shows times in UTC (alerts, uploads, the
 * preview), so exceptions do too rather than in the browser's locale.
 */
export function utcTime(iso: string, seconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date
    .toISOString()
    .replace("T", " ")
    .slice(0, seconds ? 19 : 16)} UTC`;
}
