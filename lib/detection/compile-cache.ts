import { type CompiledQuery, compile, type EqlOptions, type FieldTypes } from "../eql";

/**
 * Compiled rule queries, shared by every Detector of this process. A sensor
 * push is a detection run of its own, and compiling the enabled rules again
 * for each (parsing their EQL) cost about 1.8 ms a push, more than storing it
 * (scratch profile of 300 one-event pushes, notes of 2026-12-06). A compiled
 * query is a plan without state (each Detector makes its own runners from it),
 * and its key is everything it was compiled from, so an edited rule simply
 * compiles anew: no invalidation, and nothing two instances could disagree on.
 */
const MAX_ENTRIES = 1_000;

/** Per field-type table (a user's mapping is one object until it changes), then per query text and options. */
const byFieldTypes = new WeakMap<FieldTypes, Map<string, CompiledQuery>>();
const withoutFieldTypes = new Map<string, CompiledQuery>();

export function compileCached(query: string, options: EqlOptions): CompiledQuery {
  const cache = options.fieldTypes ? tableFor(options.fieldTypes) : withoutFieldTypes;
  const key = JSON.stringify([
    query,
    options.eventCategoryField ?? null,
    options.timestampField ?? null,
    options.tiebreakerField ?? null,
    options.size ?? null,
    options.caseInsensitive ?? false,
    options.maxSamplesPerKey ?? null,
  ]);
  const cached = cache.get(key);
  if (cached) {
    // Most recently used last, so the oldest entry is the first one evicted.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const compiled = compile(query, options);
  cache.set(key, compiled);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return compiled;
}

function tableFor(fieldTypes: FieldTypes): Map<string, CompiledQuery> {
  let table = byFieldTypes.get(fieldTypes);
  if (!table) {
    table = new Map();
    byFieldTypes.set(fieldTypes, table);
  }
  return table;
}
