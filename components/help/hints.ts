/**
 * The first-visit tip of each screen: one or two sentences on what the screen
 * is for and the one thing a newcomer would otherwise miss.
 */
export const HINTS = {
  dashboard:
    "To see Keelwatch at work, load the sample incident while there are no alerts; for your own events, drop a file " +
    "on Uploads or POST it to /api/events with an API token. Every figure here links to the alerts behind it.",
  alerts:
    "Each row is one rule match. Narrow the list by status, severity or rule (the filters stay in the URL, so a view can be shared), " +
    "and tick several rows to acknowledge or close them together.",
  alertDetail:
    "Read the event and the investigation guide, then work down the triage checklist. " +
    "If this is expected activity, add an exception so similar events stop raising alerts.",
  uploads:
    "Drop an NDJSON or JSON array file (gzip is fine) from Elastic Defend for Containers, Falco, Tetragon or Datadog; " +
    "the format is detected, and bad lines are reported with their line number.",
  rules:
    "Built-in rules come from Elastic and Datadog; duplicate one to customise it. " +
    "Switch a rule off to silence it, and preview a query against stored events before saving.",
  exceptions:
    "An exception keeps matching events from raising alerts for one rule, or for every rule a shared list is attached to. " +
    "Preview shows its impact before you save; give temporary noise an expiry date.",
} as const;

export type HintScreen = keyof typeof HINTS;

/** localStorage key remembering that the tip of `screen` was hidden. */
export function hintStorageKey(screen: HintScreen): string {
  return `keelwatch.hint.${screen}.hidden`;
}
