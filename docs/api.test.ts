import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listAlerts } from "@/app/api/alerts/route";
import { POST as postEvents } from "@/app/api/events/route";
import { installBuiltinRules } from "@/lib/app/builtin-rules";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";

/**
 * docs/api.md shows real answers: the example report and error must have the
 * shape the routes give today, and the curl example must work as written.
 */
const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

const root = path.join(import.meta.dirname, "..");
const doc = readFileSync(path.join(import.meta.dirname, "api.md"), "utf8");
const jsonExamples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1] as string));

let token: string;
beforeAll(async () => {
  await installBuiltinRules();
  token = (await issueApiToken({ name: "docs", role: "analyst", expiresAt: null, createdById: null })).token;
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

/** The object's shape: key names all the way down, with arrays described by their first element. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shape(inner)]),
    );
  }
  return typeof value;
}

describe("docs/api.md", () => {
  it("shows an error body shaped like the routes' errors", async () => {
    const response = await listAlerts(
      new Request(`${TEST_ORIGIN}/api/alerts?limit=0`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(shape(jsonExamples[0])).toEqual(shape(body));
    expect(jsonExamples[0]).toEqual(body);
  });

  it("shows the upload report POST /api/events gives for the sample file with a bad line", async () => {
    const body = Buffer.concat([
      readFileSync(path.join(root, "e2e", "fixtures", "ecs-cloud-defend.ndjson")),
      Buffer.from("not json\n"),
    ]);
    const response = await postEvents(
      new Request(`${TEST_ORIGIN}/api/events?filename=events.ndjson`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(207);
    const report = await response.json();
    const example = jsonExamples[1];
    expect(shape(example)).toEqual(shape(report));
    // Counts, not bytes or ids: the example stays true as long as the rules and the fixture agree with it.
    expect(example.events).toEqual(report.events);
    expect(example.alerts.byRule).toEqual(report.alerts.byRule);
  });
});
