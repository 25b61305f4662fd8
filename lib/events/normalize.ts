import { detectFormat, getAdapter } from "./detect-format";
import type { EventFormat, FormatAdapter } from "./formats/types";

type Json = Record<string, unknown>;

/**
 * An ECS event, or why its line was refused. `text` is the JSON the event was
 * parsed from, given only when the adapter passed the parsed event on as it
 * was (ECS input), so that text still spells this very event.
 */
export type NormalizedItem = { line: number; event: Json; text?: string } | { line: number; error: string };

type RawItem = { line: number; event: Json; text?: string } | { line: number; error: string };

/** How many events decide an "auto" file's format. */
export const FORMAT_SAMPLE_SIZE = 20;

/**
 * Turns raw events into ECS events with the format adapter. With "auto", the
 * first events decide the format for the whole file (they are held back until
 * then, so memory stays at a handful of events). `onFormat` reports the choice.
 */
export async function* normalizeEvents(
  items: AsyncIterable<RawItem>,
  format: EventFormat | "auto",
  onFormat: (format: EventFormat) => void = () => {},
): AsyncGenerator<NormalizedItem> {
  let adapter: FormatAdapter | null = null;
  const choose = (chosen: EventFormat): FormatAdapter => {
    onFormat(chosen);
    return getAdapter(chosen);
  };
  if (format !== "auto") adapter = choose(format);
  const held: { line: number; event: Json; text?: string }[] = [];

  for await (const item of items) {
    if ("error" in item) {
      yield item;
      continue;
    }
    if (adapter) {
      yield adapt(adapter, item);
      continue;
    }
    held.push(item);
    if (held.length >= FORMAT_SAMPLE_SIZE) {
      adapter = choose(detectFormat(held.map((sample) => sample.event)).format);
      for (const sample of held.splice(0)) yield adapt(adapter, sample);
    }
  }
  if (!adapter && held.length > 0) {
    adapter = choose(detectFormat(held.map((sample) => sample.event)).format);
    for (const sample of held) yield adapt(adapter, sample);
  }
}

function adapt(
  adapter: FormatAdapter,
  { line, event: raw, text }: { line: number; event: Json; text?: string },
): NormalizedItem {
  const result = adapter.toEcs(raw);
  if (result.ok)
    return result.event === raw && text !== undefined ? { line, event: raw, text } : { line, event: result.event };
  return { line, error: result.field ? `${result.field}: ${result.message}` : result.message };
}
