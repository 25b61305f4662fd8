import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, signedInUser } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import type { DetectionRule } from "@/lib/detection/detector";
import { ingestEvents } from "@/lib/ingest/ingest";
import { GET as exportTimeline } from "./export/route";
import { GET as timeline } from "./route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const NETWORK_TOOL: DetectionRule = {
  id: "test-network-tool",
  name: "Network tool in a container",
  severity: "medium",
  riskScore: 47,
  maxAlertsPerRun: 100,
  query: 'process where process.name == "nc"',
  eventCategoryField: "event.category",
  timestampField: "@timestamp",
  tiebreakerField: null,
};

const ALERT_AT = Date.UTC(2026, 10, 20, 12);
let viewer: { cookie: string };
let alertId: string;

/** An event `seconds` from the alert, in a container, on a host, in a session. */
function event(
  seconds: number,
  fields: { container: string; host?: string; session?: string; name?: string; category?: string; action?: string },
) {
  const category = fields.category ?? "process";
  return {
    "@timestamp": new Date(ALERT_AT + seconds * 1_000).toISOString(),
    event: {
      category: [category],
      type: ["start"],
      action: fields.action ?? (category === "network" ? "connect" : "exec"),
    },
    container: { id: fields.container },
    host: { name: fields.host ?? "node-1" },
    process: {
      name: fields.name ?? "sh",
      entity_id: `p-${fields.container}-${seconds}`,
      entry_leader: { entity_id: fields.session ?? `s-${fields.container}` },
      command_line: "=cmd|' /C calc'!A0",
    },
  };
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

beforeAll(async () => {
  viewer = await signedInUser("timeline-viewer", "viewer");
  await prisma().rule.create({ data: { ...NETWORK_TOOL, description: "test", tiebreakerField: null } });
  const events = [
    event(0, { container: "web", session: "s-shell", name: "nc" }),
    // the web container: 6 before, 4 after within 5 minutes, 2 outside
    ...[-290, -200, -120, -60, -30, -1].map((s) => event(s, { container: "web" })),
    ...[10, 20].map((s) => event(s, { container: "web", category: "network" })),
    ...[30, 299].map((s) => event(s, { container: "web", session: "s-shell", name: "curl" })),
    ...[-400, 400].map((s) => event(s, { container: "web" })),
    // another container on the same host
    ...[-5, 5].map((s) => event(s, { container: "db" })),
  ];
  await ingestEvents(bytes(events.map((item) => JSON.stringify(item)).join("\n")), {
    fileName: "timeline.ndjson",
    format: "ecs",
    createdById: null,
    rules: [NETWORK_TOOL],
  });
  const alert = await prisma().alert.findFirstOrThrow();
  alertId = alert.id;
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

async function get(params: Record<string, string> = {}, id = alertId) {
  return timeline(apiRequest(`/api/alerts/${id}/timeline?${new URLSearchParams(params)}`, viewer), {
    params: Promise.resolve({ id }),
  });
}

describe("GET /api/alerts/:id/timeline", () => {
  it("lists the container's events within ±5 minutes, in time order, with a histogram marking the alert's window", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ scope: "container", scopeValue: "web", total: 11 });
    expect(body.from).toBe(new Date(ALERT_AT - 300_000).toISOString());
    expect(body.items.map((item: { timestamp: string }) => (Date.parse(item.timestamp) - ALERT_AT) / 1000)).toEqual([
      -290, -200, -120, -60, -30, -1, 0, 10, 20, 30, 299,
    ]);
    expect(body.items[6].document.process.name).toBe("nc");
    expect(body.alert.eventIds).toEqual([body.items[6].id]);
    expect(body.histogram.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(11);
    expect(body.facets.categories).toEqual([
      { value: "process", count: 9 },
      { value: "network", count: 2 },
    ]);
  });

  it("widens the window, pages with a cursor, and filters by category and action", async () => {
    const wide = await (await get({ window: "10" })).json();
    expect(wide.total).toBe(13);
    const first = await (await get({ limit: "4" })).json();
    expect(first.items).toHaveLength(4);
    const second = await (await get({ limit: "4", cursor: first.nextCursor })).json();
    expect(second.items[0].id).not.toBe(first.items[3].id);
    expect(Date.parse(second.items[0].timestamp)).toBeGreaterThanOrEqual(Date.parse(first.items[3].timestamp));
    const network = await (await get({ category: "network" })).json();
    expect(network.total).toBe(2);
    expect(network.items.every((item: { category: string }) => item.category === "network")).toBe(true);
    const connects = await (await get({ action: "connect" })).json();
    expect(connects.total).toBe(2);
  });

  it("shows the host's and the session's events", async () => {
    const host = await (await get({ scope: "host" })).json();
    expect(host).toMatchObject({ scopeValue: "node-1", total: 13 });
    const session = await (await get({ scope: "session" })).json();
    expect(session).toMatchObject({ scopeValue: "s-shell", total: 3 });
    expect(
      session.items.map((item: { document: { process: { name: string } } }) => item.document.process.name),
    ).toEqual(["nc", "curl", "curl"]);
  });

  it("answers 404 for an unknown alert and 400 naming a bad parameter", async () => {
    expect((await get({}, "no-such-alert")).status).toBe(404);
    const bad = await get({ window: "0", scope: "galaxy" });
    expect(bad.status).toBe(400);
    const fields = (await bad.json()).error.details.map((detail: { field: string }) => detail.field);
    expect(fields).toEqual(["window", "scope"]);
  });
});

describe("GET /api/alerts/:id/timeline/export", () => {
  it("streams every event of the timeline as CSV with formulas defused, or NDJSON documents", async () => {
    const csv = await exportTimeline(apiRequest(`/api/alerts/${alertId}/timeline/export?format=csv`, viewer), {
      params: Promise.resolve({ id: alertId }),
    });
    const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(11);
    expect(rows[0]?.["process.command_line"]).toBe("'=cmd|' /C calc'!A0");
    const ndjson = await exportTimeline(
      apiRequest(`/api/alerts/${alertId}/timeline/export?format=ndjson&scope=session`, viewer),
      { params: Promise.resolve({ id: alertId }) },
    );
    const lines = (await ndjson.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.process.name)).toEqual(["nc", "curl", "curl"]);
  });
});
