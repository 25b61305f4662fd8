import { detectFormat, getAdapter } from "./detect-format";
import type { EventFormat, FormatAdapter } from "./formats/types";

type Json = Record<string, unknown>;

export type NormalizedItem = { line: number; event: Json } | { line: number; error: string };

/** How many events decide an "auto" file's format. */
export const FORMAT_SAMPLE_SIZE = 20;

/**
 * Turns raw events into ECS events with the format adapter. With "auto", the
 * first events decide the format for the whole file (they are held back until
 * then, so memory stays at a handful of events). `onFormat` reports the choice.
 */
export async function* normalizeEvents(
  items: AsyncIterable<{ line: number; event: Json } | { line: number; error: string }>,
  format: EventFormat | "auto",
  onFormat: (format: EventFormat) => void = () => {},
): AsyncGenerator<NormalizedItem> {
  let adapter: FormatAdapter | null = null;
  const choose = (chosen: EventFormat): FormatAdapter => {
    onFormat(chosen);
    return getAdapter(chosen);
  };
  if (format !== "auto") adapter = choose(format);
  const held: { line: number; event: Json }[] = [];

  for await (const item of items) {
    if ("error" in item) {
      yield item;
      continue;
    }
    if (adapter) {
      yield adapt(adapter, item.line, item.event);
      continue;
    }
    held.push(item);
    if (held.length >= FORMAT_SAMPLE_SIZE) {
      adapter = choose(detectFormat(held.map((sample) => sample.event)).format);
      for (const sample of held.splice(0)) yield adapt(adapter, sample.line, sample.event);
    }
  }
  if (!adapter && held.length > 0) {
    adapter = choose(detectFormat(held.map((sample) => sample.event)).format);
    for (const sample of held) yield adapt(adapter, sample.line, sample.event);
  }
}

function adapt(adapter: FormatAdapter, line: number, raw: Json): NormalizedItem {
  const result = adapter.toEcs(raw);
  if (result.ok) return { line, event: result.event };
  return { line, error: result.field ? `${result.field}: ${result.message}` : result.message };
}
