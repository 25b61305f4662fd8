import { compile, createRunner, type EqlEvent, type EqlOptions, type EqlResult, isMissingEvent } from "../eql";

/** One match a preview found: the stored events behind it, in order. */
export interface PreviewMatch {
  eventIds: (number | null)[];
  events: EqlEvent[];
}

export interface PreviewResult {
  eventsScanned: number;
  matches: number;
  /** The first `limit` matches. */
  sample: PreviewMatch[];
}

/**
 * Runs a rule's query over stored events (already in time order) without
 * raising alerts: what the rule would have found. Throws EqlError for a bad
 * query before reading anything.
 */
export async function previewQuery(
  query: string,
  options: EqlOptions,
  events: AsyncIterable<{ id: number; document: string }>,
  limit: number,
): Promise<PreviewResult> {
  const runner = createRunner(compile(query, options));
  const ids = new WeakMap<object, number>();
  const result: PreviewResult = { eventsScanned: 0, matches: 0, sample: [] };
  const collect = (found: EqlResult[]) => {
    for (const match of found) {
      result.matches++;
      if (result.sample.length >= limit) continue;
      const matched = match.kind === "event" ? [match.event] : match.events;
      result.sample.push({
        eventIds: matched.map((event) => (isMissingEvent(event) ? null : (ids.get(event) ?? null))),
        events: matched,
      });
    }
  };
  for await (const row of events) {
    const event = JSON.parse(row.document) as EqlEvent;
    ids.set(event, row.id);
    result.eventsScanned++;
    collect(runner.push(event));
  }
  collect(runner.finish());
  return result;
}
