import { detectFormat, getAdapter, sniffFormat } from "./detect-format";
import type { EventFormat, FormatAdapter } from "./formats/types";

type Json = Record<string, unknown>;

/**
 * An ECS event, or why its line was refused. `text` is the JSON the event was
 * parsed from, given only when the adapter passed the parsed event on as it
 * was (ECS input), so that text still spells this very event.
 */
export type NormalizedItem =
  | { line: number; event: Json; text?: string }
  | {
      line: number;
      error: string;
      /**
       * Set on the one item that reports a stream's lines of a kind that is not an event (Falco
       * metrics snapshots): a caller may count them as a notice rather than as refused lines.
       */
      notEvent?: { kind: string; count: number };
    };

type RawEvent = { line: number; event: Json; text?: string };
type RawItem = RawEvent | { line: number; error: string };

/** The format a stream was read in: one of the formats, or "mixed" when "auto" met lines of several. */
export type StreamFormat = EventFormat | "mixed";

/** How many events decide an "auto" stream's main format (the one that explains refused lines). */
export const FORMAT_SAMPLE_SIZE = 20;

/** At most this many line numbers are listed in a "not an event" notice. */
const LISTED_LINES = 10;

/**
 * Turns raw events into ECS events with the format adapters. With "auto", each
 * line is read in the format it unmistakably is (sniffFormat: a Falco alert, a
 * Tetragon event and an ECS event may follow one another, as one Fluent Bit
 * pipeline delivers them); a line that is none of them is refused by the
 * stream's main format, which its first events decide (they are held back
 * until then, so memory stays at a handful of events). `onFormat` reports
 * the format read: the first one used, then "mixed" if another one follows.
 *
 * Lines that are not events but a sensor's bookkeeping (Falco metrics
 * snapshots) are not refused one by one: one item at the end of the stream
 * counts them, at the line of the first.
 */
export async function* normalizeEvents(
  items: AsyncIterable<RawItem>,
  format: EventFormat | "auto",
  onFormat: (format: StreamFormat) => void = () => {},
): AsyncGenerator<NormalizedItem> {
  const notEvents = new NotEvents();
  if (format !== "auto") {
    onFormat(format);
    const adapter = getAdapter(format);
    for await (const item of items) {
      const normalized = "error" in item ? item : adapt(adapter, item, notEvents);
      if (normalized) yield normalized;
    }
  } else {
    yield* normalizeAuto(items, new FormatReport(onFormat), notEvents);
  }
  yield* notEvents.report();
}

async function* normalizeAuto(
  items: AsyncIterable<RawItem>,
  report: FormatReport,
  notEvents: NotEvents,
): AsyncGenerator<NormalizedItem> {
  let main: FormatAdapter | null = null;
  const held: RawEvent[] = [];
  const read = (item: RawEvent, fallback: FormatAdapter): NormalizedItem | null => {
    const sniffed = sniffFormat(item.event);
    if (!sniffed) return adapt(fallback, item, notEvents);
    report.used(sniffed);
    return adapt(getAdapter(sniffed), item, notEvents);
  };
  // The first events wait (in order) until they have decided the main format.
  const decide = function* (): Generator<NormalizedItem> {
    const chosen = getAdapter(detectFormat(held.map((item) => item.event)).format);
    main = chosen;
    for (const item of held.splice(0)) {
      const normalized = read(item, chosen);
      if (normalized) yield normalized;
    }
    // A stream whose every line was unrecognisable was still read in some format: the main one.
    report.fallback(chosen.format);
  };

  for await (const item of items) {
    if ("error" in item) {
      yield item;
    } else if (main) {
      const normalized = read(item, main);
      if (normalized) yield normalized;
    } else {
      held.push(item);
      if (held.length >= FORMAT_SAMPLE_SIZE) yield* decide();
    }
  }
  if (!main && held.length > 0) yield* decide();
}

/** Reports the first format used, then "mixed" once a second one is used. */
class FormatReport {
  private reported: StreamFormat | null = null;

  constructor(private readonly onFormat: (format: StreamFormat) => void) {}

  used(format: EventFormat): void {
    if (this.reported === format || this.reported === "mixed") return;
    this.reported = this.reported === null ? format : "mixed";
    this.onFormat(this.reported);
  }

  fallback(format: EventFormat): void {
    if (this.reported === null) this.used(format);
  }
}

/** Counts the lines adapters called "not an event", per kind, to report each kind once. */
class NotEvents {
  private readonly kinds = new Map<string, { count: number; lines: number[] }>();

  add(kind: string, line: number): void {
    const entry = this.kinds.get(kind) ?? { count: 0, lines: [] };
    entry.count++;
    if (entry.lines.length < LISTED_LINES) entry.lines.push(line);
    this.kinds.set(kind, entry);
  }

  *report(): Generator<NormalizedItem> {
    for (const [kind, { count, lines }] of this.kinds) {
      const what = count === 1 ? `1 ${kind}` : `${count} ${kind}s`;
      const where = `${count === 1 ? "line" : "lines"} ${lines.join(", ")}${count > lines.length ? ", …" : ""}`;
      yield {
        line: lines[0]!,
        error: `not an event: ${what} (${where}) skipped; Keelwatch stores events and alerts, not a sensor's own metrics`,
        notEvent: { kind, count },
      };
    }
  }
}

function adapt(
  adapter: FormatAdapter,
  { line, event: raw, text }: RawEvent,
  notEvents: NotEvents,
): NormalizedItem | null {
  const result = adapter.toEcs(raw);
  if (result.ok)
    return result.event === raw && text !== undefined ? { line, event: raw, text } : { line, event: result.event };
  if (result.notEvent) {
    notEvents.add(result.notEvent, line);
    return null;
  }
  return { line, error: result.field ? `${result.field}: ${result.message}` : result.message };
}
