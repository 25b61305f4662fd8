import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../app/api/events/route";
import { GET as getUpload } from "../../app/api/uploads/[id]/route";
import { issueApiToken } from "../auth/api-tokens";
import { apiRequest, TEST_ORIGIN } from "../auth/test-helpers";
import { prisma } from "../db/client";
import { createTestDatabase } from "../db/test-database";

const SENSOR_FIXTURES = path.resolve(import.meta.dirname, "..", "..", "e2e", "fixtures", "sensors");
const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

let ingestToken: string;
let viewerToken: string;

beforeAll(async () => {
  ingestToken = (await issueApiToken({ name: "ingest", role: "ingest", expiresAt: null, createdById: null })).token;
  viewerToken = (await issueApiToken({ name: "viewer", role: "viewer", expiresAt: null, createdById: null })).token;
  await prisma().rule.create({
    data: {
      id: "route-test-rule",
      name: "Netcat in a container",
      description: "test",
      query: 'process where container.id : "*" and process.name : "nc"',
      severity: "medium",
      riskScore: 47,
    },
  });
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

function upload(body: BodyInit, token = ingestToken, query = "", headers: Record<string, string> = {}): Request {
  return new Request(`${TEST_ORIGIN}/api/events${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

const nc = {
  "@timestamp": "2026-11-23T06:00:00Z",
  event: { category: ["process"], type: ["start"], action: "exec" },
  container: { id: "c-1" },
  process: { name: "nc", executable: "/usr/bin/nc", args: ["nc", "-lvp", "4444"], entity_id: "p1" },
};

describe("POST /api/events", () => {
  it("stores events, raises alerts and answers with the contract's report", async () => {
    const response = await POST(upload(`${JSON.stringify(nc)}\n`, ingestToken, "?filename=shell.ndjson"));
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report).toMatchObject({
      fileName: "shell.ndjson",
      events: { received: 1, accepted: 1, rejected: 0 },
      errors: [],
      alerts: { created: 1, suppressed: 0, byRule: { "Netcat in a container": 1 } },
    });
    expect(typeof report.uploadId).toBe("string");
  });

  it("answers 207 with per-line errors when some lines are bad, keeping the good ones", async () => {
    const body = `${JSON.stringify({ ...nc, process: { ...nc.process, entity_id: "p2" } })}\n{oops\n`;
    const response = await POST(upload(body));
    expect(response.status).toBe(207);
    const report = await response.json();
    expect(report.events).toMatchObject({ received: 2, accepted: 1, rejected: 1 });
    expect(report.errors[0].line).toBe(2);
  });

  it("accepts gzip by its magic bytes", async () => {
    const body = gzipSync(JSON.stringify([{ ...nc, process: { ...nc.process, entity_id: "p3" } }]));
    const response = await POST(upload(body, ingestToken, "", { "content-encoding": "gzip" }));
    expect(response.status).toBe(200);
    expect((await response.json()).events.accepted).toBe(1);
  });

  it("answers 400 when nothing is readable, and for an empty body", async () => {
    const garbage = await POST(upload("\u0000\u0001binary\n"));
    expect(garbage.status).toBe(400);
    const empty = await POST(upload(""));
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe("empty_upload");
  });

  it("answers 200 with zero events and a notice for a push of only a Falco metrics snapshot", async () => {
    const lines = readFileSync(path.join(SENSOR_FIXTURES, "falco-alerts.ndjson"), "utf8").split("\n");
    const snapshot = lines.find((line) => line.includes('"output":"Falco metrics snapshot"'));
    if (!snapshot) throw new Error("the Falco fixture has no metrics snapshot");
    const response = await POST(upload(`${snapshot}\n`, ingestToken, "?filename=falcosidekick"));
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report.events).toMatchObject({ received: 0, accepted: 0, rejected: 0, skipped: 1 });
    expect(report.errorCount).toBe(0);
    expect(report.errors).toEqual([
      { line: 1, message: expect.stringMatching(/^not an event: 1 Falco metrics snapshot \(line 1\) skipped/) },
    ]);
    expect(report.alerts.created).toBe(0);
  });

  it("refuses a bad format parameter, naming it", async () => {
    const response = await POST(upload("{}", ingestToken, "?format=syslog"));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/format/);
  });

  it("answers 413 above the size limit", async () => {
    process.env.KEELWATCH_MAX_UPLOAD_BYTES = "100";
    try {
      const response = await POST(
        upload(`${JSON.stringify(nc)}\n${JSON.stringify(nc)}\n`, ingestToken, "?filename=big.ndjson"),
      );
      expect(response.status).toBe(413);
      expect((await response.json()).error.code).toBe("upload_too_large");
    } finally {
      delete process.env.KEELWATCH_MAX_UPLOAD_BYTES;
    }
  });

  it("answers 413 when a small gzip body inflates beyond the limit", async () => {
    process.env.KEELWATCH_MAX_UPLOAD_BYTES = "4096";
    try {
      const bomb = gzipSync(Buffer.from(`${JSON.stringify(nc)}\n`.repeat(1_000)));
      expect(bomb.length).toBeLessThan(4096);
      const response = await POST(upload(bomb, ingestToken, "?filename=bomb.ndjson.gz"));
      expect(response.status).toBe(413);
      expect((await response.json()).error.message).toMatch(/after decompression/);
    } finally {
      delete process.env.KEELWATCH_MAX_UPLOAD_BYTES;
    }
  });

  it("401 without a token, 403 for a viewer token", async () => {
    const anonymous = await POST(apiRequest("/api/events", { method: "POST", body: nc }));
    expect(anonymous.status).toBe(401);
    const viewer = await POST(upload(JSON.stringify(nc), viewerToken));
    expect(viewer.status).toBe(403);
  });

  it("the upload's report can be read back by id", async () => {
    const response = await POST(
      upload(
        `${JSON.stringify({ ...nc, process: { ...nc.process, entity_id: "p9" } })}\n`,
        ingestToken,
        "?filename=one.ndjson",
      ),
    );
    const { uploadId } = await response.json();
    const admin = (await issueApiToken({ name: "admin", role: "admin", expiresAt: null, createdById: null })).token;
    const detail = await getUpload(apiRequest(`/api/uploads/${uploadId}`, { token: admin }), {
      params: Promise.resolve({ id: uploadId }),
    });
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ id: uploadId, status: "done", eventsAccepted: 1, alertsCreated: 1 });
  });
});
