import { beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import { POST as ingest } from "../../events/route";
import { POST as hunt } from "../../hunt/route";
import { POST as preview } from "../../rules/preview/route";
import { POST as createRule } from "../../rules/route";
import { GET, PUT } from "./route";

/**
 * The field mapping setting as the app uses it: an admin stores an Elasticsearch mapping, and detection at
 * ingest, rule previews and hunts then compare its fields by their mapped types (a version in version order).
 */
setUpTestDatabase();

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let admin: Signed;
let analyst: Signed;
let sensor: string;
beforeAll(async () => {
  admin = await signedInUser("boss", "admin");
  analyst = await signedInUser("ana", "analyst");
  sensor = (await issueApiToken({ name: "sensor", role: "ingest", expiresAt: null, createdById: null })).token;
});

// biome-ignore lint/suspicious/noExplicitAny: the tests read response bodies of every shape
const json = async (response: Response) => (await response.json()) as Record<string, any>;
const put = (signed: Signed, body: unknown) =>
  PUT(apiRequest("/api/settings/field-mapping", { method: "PUT", cookie: signed.cookie, origin: TEST_ORIGIN, body }));

const MAPPING = {
  "logs-agent": {
    mappings: { properties: { agent: { properties: { build: { type: "version" }, name: { type: "keyword" } } } } },
  },
};
// As text "1.10.2" < "1.5.0"; as versions it is greater.
const QUERY = 'process where agent.build > "1.5.0"';
const event = (second: number, build: string) => ({
  "@timestamp": `2026-11-20T10:00:0${second}Z`,
  event: { category: ["process"], type: ["start"], action: "exec" },
  agent: { build, name: `a${second}` },
  process: { name: "agent", entity_id: `p${second}` },
});

async function upload(fileName: string): ReturnType<typeof json> {
  const body = [event(1, "1.10.2"), event(2, "1.4.9")].map((item) => JSON.stringify(item)).join("\n");
  const response = await ingest(
    new Request(`${TEST_ORIGIN}/api/events?format=ecs&filename=${fileName}`, {
      method: "POST",
      headers: { authorization: `Bearer ${sensor}`, "content-type": "application/x-ndjson" },
      body,
    }),
  );
  expect(response.status).toBe(200);
  return json(response);
}

async function previewNames(uploadId: string): Promise<string[]> {
  const response = await preview(
    apiRequest("/api/rules/preview", {
      method: "POST",
      cookie: analyst.cookie,
      origin: TEST_ORIGIN,
      body: { query: QUERY, uploadId, limit: 10 },
    }),
  );
  expect(response.status).toBe(200);
  return (await json(response)).sample.map(
    (match: { events: { agent: { name: string } }[] }) => match.events[0]?.agent.name,
  );
}

async function huntNames(uploadId: string): Promise<string[]> {
  const response = await hunt(
    apiRequest("/api/hunt", {
      method: "POST",
      cookie: analyst.cookie,
      origin: TEST_ORIGIN,
      body: { query: QUERY, uploadId, from: "2026-11-20T09:00:00Z", to: "2026-11-20T11:00:00Z" },
    }),
  );
  expect(response.status).toBe(200);
  return (await json(response)).rows.map((row: { events: { event: { agent: { name: string } } }[] }) =>
    row.events.map((entry) => entry.event.agent.name).join(),
  );
}

describe("the field mapping setting", () => {
  it("is refused with what and where when it is not a mapping, and to anyone but an admin", async () => {
    expect((await put(analyst, { mapping: MAPPING })).status).toBe(403);
    const wrongType = await put(admin, { mapping: { properties: { agent: { properties: { build: { type: 7 } } } } } });
    expect(wrongType.status).toBe(400);
    const body = await json(wrongType);
    expect(body.error.message).toContain('properties.agent.properties.build: "type" must be a string');
    expect(body.error.details).toEqual([expect.objectContaining({ field: "mapping" })]);
    const notObject = await json(await put(admin, { mapping: [1, 2] }));
    expect(notObject.error.message).toContain("mapping: must be a JSON object");
    const noProperties = await json(await put(admin, { mapping: { hello: "world" } }));
    expect(noProperties.error.message).toContain('no "properties" found');
    expect(await json(await GET(apiRequest("/api/settings/field-mapping", { cookie: analyst.cookie })))).toEqual({
      mapping: null,
      fields: 0,
      updatedAt: null,
    });
  });

  it("makes detection at ingest, rule previews and hunts compare the mapped fields by type", async () => {
    const rule = await createRule(
      apiRequest("/api/rules", {
        method: "POST",
        cookie: analyst.cookie,
        origin: TEST_ORIGIN,
        body: { name: "New agent build", description: "d", type: "eql", query: QUERY, severity: "low", riskScore: 21 },
      }),
    );
    expect(rule.status).toBe(201);

    // Without a mapping agent.build is text: "1.10.2" sorts before "1.5.0".
    const before = await upload("before.ndjson");
    expect(before.alerts.created).toBe(0);
    expect(await previewNames(before.uploadId)).toEqual([]);
    expect(await huntNames(before.uploadId)).toEqual([]);

    const stored = await put(admin, { mapping: MAPPING });
    expect(stored.status).toBe(200);
    expect(await json(stored)).toMatchObject({ mapping: MAPPING, fields: 2 });
    expect(await json(await GET(apiRequest("/api/settings/field-mapping", { cookie: analyst.cookie })))).toMatchObject({
      fields: 2,
    });

    const after = await upload("after.ndjson");
    expect(after.alerts).toMatchObject({ created: 1, byRule: { "New agent build": 1 } });
    // Previews and hunts of the earlier upload now read it by the mapping too.
    expect(await previewNames(before.uploadId)).toEqual(["a1"]);
    expect(await huntNames(before.uploadId)).toEqual(["a1"]);

    expect((await put(admin, { mapping: null })).status).toBe(200);
    expect(await huntNames(before.uploadId)).toEqual([]);
  });
});
