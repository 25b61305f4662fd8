import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../../app/api/events/route";
import { GET as listSourcesRoute } from "../../../app/api/sources/route";
import { GET as listUploadsRoute } from "../../../app/api/uploads/route";
import { issueApiToken } from "../../auth/api-tokens";
import { apiRequest, TEST_ORIGIN } from "../../auth/test-helpers";
import { prisma } from "../../db/client";
import { createExceptionItem } from "../../db/exceptions";
import { storeFieldMapping } from "../../db/field-mapping";
import { type SourceSummary, sourceHealth } from "../../db/sources";
import { setUpTestDatabase } from "../../db/test-database-hooks";

setUpTestDatabase();

let sensor: { id: string; token: string };
let quiet: { id: string; token: string };
let viewer: string;

const FALCO_RULE_ID = "stream-test-falco";

beforeAll(async () => {
  sensor = await issueApiToken({ name: "falco-prod", role: "ingest", expiresAt: null, createdById: null });
  quiet = await issueApiToken({ name: "tetragon-lab", role: "ingest", expiresAt: null, createdById: null });
  viewer = (await issueApiToken({ name: "viewer", role: "viewer", expiresAt: null, createdById: null })).token;
  // A rule over the pushed events: the Falco adapter maps proc.name to process.name.
  await prisma().rule.create({
    data: {
      id: FALCO_RULE_ID,
      name: "Shell from Falco",
      description: "test",
      query: 'process where process.name == "bash"',
      severity: "high",
      riskScore: 73,
    },
  });
});

let serial = 0;
/** A Falco alert as Falcosidekick's webhook output sends it, different each time. */
function falcoAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial++;
  return {
    output: `Shell spawned in a container (n=${serial})`,
    priority: "Warning",
    rule: "Terminal shell in container",
    time: new Date(Date.UTC(2026, 11, 6, 10, 0, 0, serial)).toISOString(),
    source: "syscall",
    output_fields: {
      "container.id": "c0ffee000001",
      "proc.name": "bash",
      "proc.cmdline": `bash -i ${serial}`,
      "user.name": "root",
      "proc.pid": 1000 + serial,
    },
    ...overrides,
  };
}

function push(body: BodyInit, token = sensor.token, query = "", headers: Record<string, string> = {}): Request {
  return new Request(`${TEST_ORIGIN}/api/events${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

async function sources(token = viewer): Promise<{ items: SourceSummary[]; silent: number }> {
  const response = await listSourcesRoute(apiRequest("/api/sources", { token }));
  expect(response.status).toBe(200);
  return response.json();
}

async function storedEvents(): Promise<number> {
  return prisma().event.count();
}

describe("sensor pushes (POST /api/events with a token and no filename)", () => {
  it("joins the token's one stream, which the Uploads page does not list", async () => {
    const before = await storedEvents();
    const first = await POST(push(JSON.stringify(falcoAlert())));
    expect(first.status).toBe(200);
    const report = await first.json();
    expect(report).toMatchObject({
      events: { received: 1, accepted: 1, rejected: 0 },
      source: { id: sensor.id, name: "falco-prod" },
      format: "falco",
    });
    const second = await (await POST(push(JSON.stringify(falcoAlert())))).json();
    expect(second.uploadId).toBe(report.uploadId);
    expect(await storedEvents()).toBe(before + 2);

    const stream = await prisma().upload.findUniqueOrThrow({ where: { id: report.uploadId } });
    expect(stream).toMatchObject({ kind: "stream", status: "streaming", apiTokenId: sensor.id, eventsAccepted: 2 });
    const uploads = await (await listUploadsRoute(apiRequest("/api/uploads", { token: viewer }))).json();
    expect(uploads.items.map((item: { id: string }) => item.id)).not.toContain(report.uploadId);
  });

  it("stays an upload with ?filename= (what keelwatch ingest sends)", async () => {
    const response = await POST(push(JSON.stringify(falcoAlert()), sensor.token, "?filename=falco.ndjson"));
    const report = await response.json();
    const upload = await prisma().upload.findUniqueOrThrow({ where: { id: report.uploadId } });
    expect(upload).toMatchObject({ kind: "file", fileName: "falco.ndjson", status: "done" });
    expect(report.source).toBeUndefined();
  });

  it("answers concurrent pushes each with its own report, stored exactly once", async () => {
    const before = await storedEvents();
    const bodies = Array.from({ length: 12 }, (_, index) =>
      index === 5
        ? // A small batch with one unreadable line in the middle: its line number is the push's own.
          `${JSON.stringify(falcoAlert())}\n{not json\n${JSON.stringify(falcoAlert())}\n`
        : JSON.stringify(falcoAlert()),
    );
    const responses = await Promise.all(bodies.map((body) => POST(push(body))));
    const reports = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status)).toEqual(bodies.map((_, index) => (index === 5 ? 207 : 200)));
    expect(reports[5]).toMatchObject({
      events: { received: 3, accepted: 2, rejected: 1 },
      errors: [{ line: 2 }],
      alerts: { created: 2 },
    });
    for (const [index, report] of reports.entries()) {
      if (index !== 5) expect(report).toMatchObject({ events: { received: 1, accepted: 1 }, alerts: { created: 1 } });
    }
    expect(await storedEvents()).toBe(before + 13);

    const source = (await sources()).items.find((item) => item.id === sensor.id)!;
    expect(source.total.pushes).toBe(14);
    expect(source.total.events).toBe(15);
    expect(source.total.rejected).toBe(1);
    expect(source.lastHour).toEqual(source.lastDay);
    expect(source.latestErrors[0]).toMatchObject({ line: 2 });
    expect(source.latestErrors[0]!.message).toMatch(/JSON|line/i);
    expect(source.formats).toEqual(["falco"]);
    expect(source.health).toBe("rejecting");
  });

  it("a push sent again (a sensor retrying) doubles neither events nor alerts", async () => {
    const body = `${JSON.stringify(falcoAlert())}\n${JSON.stringify(falcoAlert())}\n`;
    const first = await (await POST(push(body))).json();
    expect(first.alerts.created).toBe(2);
    const [events, alerts] = [await storedEvents(), await prisma().alert.count()];
    const again = await (await POST(push(body))).json();
    expect(again).toMatchObject({ events: { accepted: 2, duplicate: 2 }, alerts: { created: 0, duplicate: 2 } });
    expect(await storedEvents()).toBe(events);
    expect(await prisma().alert.count()).toBe(alerts);
  });

  it("an exception written after a push silences the next push's alert", async () => {
    const shell = falcoAlert({ output_fields: { "proc.name": "bash", "container.id": "backup-01" } });
    expect((await (await POST(push(JSON.stringify(shell)))).json()).alerts.created).toBe(1);
    await createExceptionItem(
      {
        name: "Backup container's shell",
        scope: { ruleId: FALCO_RULE_ID },
        groups: [[{ field: "container.id", operator: "is", value: "backup-01" }]],
      },
      { id: null, label: "tester", ip: "127.0.0.1" },
    );
    const next = falcoAlert({ output_fields: { "proc.name": "bash", "container.id": "backup-01" } });
    const report = await (await POST(push(JSON.stringify(next)))).json();
    expect(report.alerts).toMatchObject({ suppressedByException: 1 });
    expect(report.alerts.byRule["Shell from Falco"]).toBeUndefined();
  });

  it("a field mapping stored after a push decides how the next push's fields compare", async () => {
    await prisma().rule.create({
      data: {
        id: "stream-test-build",
        name: "Agent build after 1.5.0",
        description: "test",
        // As text "1.10.2" < "1.5.0"; as versions it is greater.
        query: 'process where agent.build > "1.5.0"',
        severity: "low",
        riskScore: 21,
      },
    });
    const agent = (second: number) => ({
      "@timestamp": `2026-12-06T11:00:0${second}Z`,
      event: { category: ["process"], type: ["start"], action: "exec" },
      agent: { build: "1.10.2" },
      process: { name: "agent", entity_id: `agent-${second}` },
    });
    const before = await (await POST(push(JSON.stringify(agent(1))))).json();
    expect(before.alerts.byRule["Agent build after 1.5.0"]).toBeUndefined();
    await storeFieldMapping({ mappings: { properties: { agent: { properties: { build: { type: "version" } } } } } });
    try {
      const after = await (await POST(push(JSON.stringify(agent(2))))).json();
      expect(after.alerts.byRule["Agent build after 1.5.0"]).toBe(1);
    } finally {
      await storeFieldMapping(null);
      await prisma().rule.delete({ where: { id: "stream-test-build" } });
    }
  });

  it("reads gzip bodies and refuses a push over KEELWATCH_MAX_PUSH_BYTES with a clear 413", async () => {
    const gz = gzipSync(Buffer.from(`${JSON.stringify(falcoAlert())}\n${JSON.stringify(falcoAlert())}\n`));
    const response = await POST(push(gz, sensor.token, "", { "content-encoding": "gzip" }));
    expect(response.status).toBe(200);
    expect((await response.json()).events.accepted).toBe(2);

    process.env.KEELWATCH_MAX_PUSH_BYTES = "2048";
    try {
      const bomb = gzipSync(Buffer.from(`${JSON.stringify(falcoAlert())}\n`.repeat(200)));
      const refused = await POST(push(bomb, sensor.token, "", { "content-encoding": "gzip" }));
      expect(refused.status).toBe(413);
      const error = (await refused.json()).error;
      expect(error.code).toBe("push_too_large");
      expect(error.message).toMatch(/2\.0 KiB.*\?filename=/);
    } finally {
      delete process.env.KEELWATCH_MAX_PUSH_BYTES;
    }
  });

  it("an empty push is a 400 that says so", async () => {
    const response = await POST(push(""));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("empty_upload");
  });
});

describe("GET /api/sources", () => {
  it("lists every ingest token, new ones as new, to people who may read uploads", async () => {
    const listed = await sources();
    const lab = listed.items.find((item) => item.id === quiet.id)!;
    expect(lab).toMatchObject({
      name: "tetragon-lab",
      health: "new",
      lastSeenAt: null,
      total: { pushes: 0, events: 0, rejected: 0, alerts: 0 },
      streamUploadId: null,
    });
    expect(listed.items.map((item) => item.name)).not.toContain("viewer");
    // Revoked and quiet for a day: no longer listed.
    const gone = await issueApiToken({ name: "old-sensor", role: "ingest", expiresAt: null, createdById: null });
    await prisma().apiToken.update({ where: { id: gone.id }, data: { revokedAt: new Date() } });
    expect((await sources()).items.map((item) => item.name)).not.toContain("old-sensor");
    const forbidden = await listSourcesRoute(apiRequest("/api/sources", { token: sensor.token }));
    expect(forbidden.status).toBe(403);
  });
});

describe("sourceHealth", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const base = { revoked: false, rejectedLastHour: 0, now };

  it("is silent after ten usual gaps, and never before fifteen minutes", () => {
    expect(sourceHealth({ ...base, lastSeenAt: ago(14 * 60), meanGapSeconds: 1 })).toBe("ok");
    expect(sourceHealth({ ...base, lastSeenAt: ago(16 * 60), meanGapSeconds: 1 })).toBe("silent");
    // A sensor that pushes hourly is not missed after two hours...
    expect(sourceHealth({ ...base, lastSeenAt: ago(2 * 3600), meanGapSeconds: 3600 })).toBe("ok");
    // ...but is after eleven.
    expect(sourceHealth({ ...base, lastSeenAt: ago(11 * 3600), meanGapSeconds: 3600 })).toBe("silent");
  });

  it("names new, revoked and rejecting sources", () => {
    expect(sourceHealth({ ...base, lastSeenAt: null, meanGapSeconds: null })).toBe("new");
    expect(sourceHealth({ ...base, revoked: true, lastSeenAt: ago(1), meanGapSeconds: 1 })).toBe("revoked");
    expect(sourceHealth({ ...base, rejectedLastHour: 3, lastSeenAt: ago(1), meanGapSeconds: 1 })).toBe("rejecting");
  });
});
