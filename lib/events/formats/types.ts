/** The event formats Keelwatch reads; each has an adapter in this folder that turns it into ECS. */
export type EventFormat = "ecs" | "falco" | "tetragon" | "datadog";

export const EVENT_FORMATS: readonly EventFormat[] = ["ecs", "falco", "tetragon", "datadog"];

/**
 * `notEvent` names lines that are not events at all but the sensor's own bookkeeping (a Falco
 * metrics snapshot): normalizeEvents reports those once per stream instead of line by line.
 */
export type AdaptResult =
  | { ok: true; event: Record<string, unknown> }
  | { ok: false; message: string; field?: string; notEvent?: string };

export interface FormatAdapter {
  format: EventFormat;
  /** Human name for the UI and reports. */
  label: string;
  /** How sure the adapter is that this one raw event is in its format, 0..1. */
  detect(sample: Record<string, unknown>): number;
  /**
   * Maps one raw event to a nested ECS event, or says which field is wrong.
   * Never modifies `raw`: an adapter that returns `raw` itself is taken to
   * have left it as parsed, and its line's text is kept as its JSON.
   */
  toEcs(raw: Record<string, unknown>): AdaptResult;
}

export function isEventFormat(value: string): value is EventFormat {
  return (EVENT_FORMATS as readonly string[]).includes(value);
}
