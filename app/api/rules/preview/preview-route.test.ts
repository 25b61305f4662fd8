import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { ingestEvents } from "@/lib/ingest/ingest";
import { POST } from "./route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

let viewer: string;
let ingestOnly: string;
let uploadId: string;

function exec(second: number, name: string, entityId: string, parent?: string) {
  return {
    "@timestamp": `2026-11-20T10:00:${String(second).padStart(2, "0")}Z`,
    event: { category: ["process"], type: ["start"], action: "exec" },
    container: { id: "c-1" },
    process: { name, executable: `/usr/bin/${name}`, entity_id: entityId, parent: parent ? { entity_id: parent } : {} },
  };
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

beforeAll(async () => {
  viewer = (await issueApiToken({ name: "viewer", role: "viewer", expiresAt: null, createdById: null })).token;
  ingestOnly = (await issueApiToken({ name: "sensor", role: "ingest", expiresAt: null, createdById: null })).token;
  const events = [
    exec(1, "bash", "p1"),
    exec(2, "nc", "p2", "p1"),
    exec(3, "ls", "p3", "p1"),
    exec(4, "nc", "p4", "p3"),
  ];
  const report = await ingestEvents(bytes(events.map((event) => JSON.stringify(event)).join("\n")), {
    fileName: "preview.ndjson",
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

function preview(body: unknown, token = viewer): Promise<Response> {
  return POST(
    new Request(`${TEST_ORIGIN}/api/rules/preview`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

describe("POST /api/rules/preview", () => {
  it("runs an event query over an upload's stored events without raising alerts", async () => {
    const response = await preview({ query: 'process where process.name == "nc"', uploadId });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ eventsScanned: 4, matches: 2 });
    expect(
      body.sample.map((match: { events: { process: { entity_id: string } }[] }) => match.events[0]?.process.entity_id),
    ).toEqual(["p2", "p4"]);
    expect(body.sample[0].eventIds[0]).toEqual(expect.any(Number));
    expect(await prisma().alert.count()).toBe(0);
  });

  it("runs sequences over a time range and caps the sample", async () => {
    const response = await preview({
      query: "sequence [process where true] by process.entity_id [process where true] by process.parent.entity_id",
      from: "2026-11-20T00:00:00Z",
      to: "2026-11-21T00:00:00Z",
      limit: 1,
    });
    const body = await response.json();
    expect(body.matches).toBe(2);
    expect(body.sample).toHaveLength(1);
  });

  it("names the line and column of a bad query", async () => {
    const response = await preview({ query: "process where\n  process.name ==", uploadId });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_query");
    expect(body.error.details[0]).toMatchObject({ field: "query", line: 2, column: 18 });
  });

  it("says so when the upload does not exist, rather than scanning nothing", async () => {
    const response = await preview({ query: "any where true", uploadId: "no-such-upload" });
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe('No upload with id "no-such-upload".');
  });

  it("refuses tokens that cannot read rules, and mixed scopes", async () => {
    expect((await preview({ query: "any where true", uploadId }, ingestOnly)).status).toBe(403);
    const mixed = await preview({ query: "any where true", uploadId, from: "2026-11-20T00:00:00Z" });
    expect(mixed.status).toBe(400);
  });
});
