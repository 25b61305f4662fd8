import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { type EqlEvent, type EqlResult, isMissingEvent, run } from "@/lib/eql";
import { ingestEvents } from "@/lib/ingest/ingest";
import { loadBuiltinRules } from "@/lib/rules/load";
import { HuntScopeSchema } from "./request";
import { countHunt, type HuntRow, runHunt } from "./run";

/**
 * A page-first hunt (count: false) ends its scan once the page is full. These
 * tests hold it to the engine: over stored events spread across several
 * blocks, every page, followed to the end through nextOffset, gives exactly
 * the results lib/eql's run gives over every event, in the same order; the
 * pages equal those of a counting hunt; and countHunt counts them all.
 */

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const START = Date.UTC(2026, 10, 20, 10);
const EVENTS = 2_600;
const RANGE = { from: new Date(START - 60_000), to: new Date(START + 86_400_000) };
const NAMES = ["ls", "cat", "curl", "nc", "sh", "python", "dig", "socat", "nginx"];

/** A deterministic stream of forks, execs and ends in a few containers, some of them network tools. */
function events(): EqlEvent[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: EqlEvent[] = [];
  const live: { id: string; container: string; name: string; execd: boolean }[] = [];
  for (let index = 0; index < EVENTS; index++) {
    const time = new Date(START + index * 1_000).toISOString();
    let action: "fork" | "exec" | "end";
    let proc: (typeof live)[number];
    if (live.length < 6 || (live.length < 30 && next() < 0.4)) {
      proc = { id: `p${index}`, container: `c${Math.floor(next() * 4)}`, name: "sh", execd: false };
      live.push(proc);
      action = "fork";
    } else {
      const at = Math.floor(next() * live.length);
      proc = live[at] as (typeof live)[number];
      if (!proc.execd && next() < 0.85) {
        proc.execd = true;
        proc.name = NAMES[Math.floor(next() * NAMES.length)] as string;
        action = "exec";
      } else {
        live.splice(at, 1);
        action = "end";
      }
    }
    out.push({
      "@timestamp": time,
      event: { id: `e${index}`, category: ["process"], type: [action === "end" ? "end" : "start"], action },
      container: { id: proc.container },
      host: { name: `node-${proc.container === "c0" ? 1 : 2}` },
      process: {
        entity_id: proc.id,
        name: proc.name,
        args: [proc.name, next() < 0.1 ? "nc" : "-v"],
        parent: { entity_id: `shell-${proc.container}` },
      },
    });
  }
  return out;
}

const stored = events();
let seedQuery = "";

beforeAll(async () => {
  const text = stored.map((event) => JSON.stringify(event)).join("\n");
  await ingestEvents(
    (async function* () {
      yield Buffer.from(text);
    })(),
    { fileName: "page-first.ndjson", format: "ecs", createdById: null, rules: [] },
  );
  const rules = await loadBuiltinRules();
  const networkTool = rules.find((rule) => rule.name === "Suspicious Network Tool Launched Inside A Container");
  if (!networkTool) throw new Error("the built-in network tool rule is missing");
  seedQuery = networkTool.query;
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

const idOf = (event: EqlEvent | null) => (event ? String((event.event as { id: string }).id) : "missing");
const engineIds = (results: EqlResult[]) =>
  results.map((result) =>
    (result.kind === "event" ? [result.event] : result.events).map((event) =>
      isMissingEvent(event) ? "missing" : idOf(event),
    ),
  );
const rowIds = (rows: HuntRow[]) => rows.map((row) => row.events.map((entry) => idOf(entry.event)));

/** Every page of the hunt, following nextOffset, and what each answer said. */
async function allPages(query: string, count: boolean, limit: number) {
  const scope = HuntScopeSchema.parse({ query });
  const pages = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page = await runHunt(scope, { range: RANGE, offset, limit, count });
    pages.push(page);
    offset = page.nextOffset;
  }
  return pages;
}

const QUERIES: [string, () => string][] = [
  ["the seed network-tool rule", () => seedQuery],
  ["an event query", () => 'process where process.name == "curl"'],
  ["an event query with head", () => 'process where process.name : ("nc", "dig") | head 9'],
  ["an event query with tail", () => 'process where event.action == "exec" | tail 11'],
  [
    "a sequence by process.entity_id",
    () => 'sequence by process.entity_id [process where event.action == "fork"] [process where event.action == "exec"]',
  ],
  [
    "a sequence with maxspan and until",
    () =>
      'sequence by container.id with maxspan=20s [process where process.name == "sh"] [process where process.name == "nc"] until [process where process.name == "nginx"]',
  ],
  [
    "a sample by host",
    () => 'sample by host.name [process where process.name == "cat"] [process where process.name == "dig"]',
  ],
];

describe("a page-first hunt (count: false)", () => {
  it("stores the events across several blocks", async () => {
    const blocks = await prisma().eventBlock.count();
    expect(blocks).toBeGreaterThan(1);
    expect(await prisma().event.count()).toBe(EVENTS);
  });

  it.each(QUERIES)("pages %s exactly as the engine over every event", async (_name, queryOf) => {
    const query = queryOf();
    const expected = engineIds(run(query, stored));
    expect(expected.length).toBeGreaterThan(0);
    // About five pages, whatever the count: each page scans from the start of the range again.
    const limit = Math.max(2, Math.ceil(expected.length / 5));
    const firstOnly = await allPages(query, false, limit);
    expect(firstOnly.flatMap((page) => rowIds(page.rows))).toEqual(expected);
    const counting = await allPages(query, true, limit);
    expect(firstOnly.map((page) => rowIds(page.rows))).toEqual(counting.map((page) => rowIds(page.rows)));
    expect(counting.map((page) => page.nextOffset)).toEqual(firstOnly.map((page) => page.nextOffset));
    for (const page of counting) expect(page).toMatchObject({ counted: true, matches: expected.length });

    const total = await countHunt(HuntScopeSchema.parse({ query }), { range: RANGE });
    expect(total.matches).toBe(expected.length);
    expect(total.histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(expected.length);
    expect(total.stopped).toBeNull();
  });

  it("ends its scan once the page is full, and says the count is not done", async () => {
    const query = 'process where event.action == "exec"';
    const page = await runHunt(HuntScopeSchema.parse({ query }), { range: RANGE, limit: 10, count: false });
    expect(page).toMatchObject({ counted: false, nextOffset: 10, histogram: [], stopped: null });
    expect(page.rows).toHaveLength(10);
    // The page plus one result: a few dozen events, not the whole range.
    expect(page.matches).toBe(11);
    expect(page.eventsScanned).toBeLessThan(100);
    const counted = await runHunt(HuntScopeSchema.parse({ query }), { range: RANGE, limit: 10 });
    expect(counted.eventsScanned).toBe(EVENTS);
    expect(counted.counted).toBe(true);
  });

  it("reads the whole range, and counts, when the page never fills", async () => {
    const query = 'process where process.name == "curl" and container.id == "c3"';
    const expected = run(query, stored).length;
    const page = await runHunt(HuntScopeSchema.parse({ query }), { range: RANGE, limit: 500, count: false });
    expect(page).toMatchObject({ counted: true, matches: expected, nextOffset: null, eventsScanned: EVENTS });
    expect(page.histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(expected);
  });
});
