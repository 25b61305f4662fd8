import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { seedAlert, seedRule } from "@/lib/db/alert-test-fixtures";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { GET, PATCH } from "./route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

let analystCookie = "";
let viewerCookie = "";
let analystId = "";
let ruleId = "";

beforeAll(async () => {
  const analyst = await signedInUser("ana", "analyst");
  analystCookie = analyst.cookie;
  analystId = analyst.user.id;
  viewerCookie = (await signedInUser("vic", "viewer")).cookie;
  ruleId = (await seedRule(prisma())).id;
});

const context = (id: string) => ({ params: Promise.resolve({ id }) });

function patchRequest(id: string, body: unknown, options: { cookie?: string; ifMatch?: string } = {}): Request {
  const base = apiRequest(`/api/alerts/${id}`, {
    method: "PATCH",
    cookie: options.cookie ?? analystCookie,
    origin: TEST_ORIGIN,
    body,
  });
  const headers = new Headers(base.headers);
  if (options.ifMatch !== undefined) headers.set("if-match", options.ifMatch);
  return new Request(base.url, { method: "PATCH", headers, body: JSON.stringify(body) });
}

async function newAlert(): Promise<string> {
  return (await seedAlert(prisma(), { ruleId, eventIds: [] })).id;
}

describe("GET /api/alerts/:id", () => {
  it("401 without credentials", async () => {
    const id = await newAlert();
    expect((await GET(apiRequest(`/api/alerts/${id}`), context(id))).status).toBe(401);
  });

  it("200 with the detail for a viewer, with an ETag of the version", async () => {
    const id = await newAlert();
    const response = await GET(apiRequest(`/api/alerts/${id}`, { cookie: viewerCookie }), context(id));
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe('"1"');
    const body = await response.json();
    expect(body).toMatchObject({ id, version: 1, status: "open", rule: { id: ruleId } });
  });

  it("404 for an unknown alert", async () => {
    const response = await GET(apiRequest("/api/alerts/nope", { cookie: viewerCookie }), context("nope"));
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  });
});

describe("PATCH /api/alerts/:id", () => {
  it("403 for a viewer", async () => {
    const id = await newAlert();
    const response = await PATCH(
      patchRequest(id, { version: 1, status: "acknowledged" }, { cookie: viewerCookie }),
      context(id),
    );
    expect(response.status).toBe(403);
  });

  it("200 with the updated detail, version from If-Match", async () => {
    const id = await newAlert();
    const response = await PATCH(patchRequest(id, { assigneeId: analystId }, { ifMatch: '"1"' }), context(id));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ version: 2, assignee: { id: analystId, name: "ana" } });
    expect(body.history).toEqual([
      expect.objectContaining({ field: "assignee", actor: { id: analystId, name: "ana" } }),
    ]);
  });

  it("200 with the version in the body; checking a step records the analyst", async () => {
    const id = await newAlert();
    const response = await PATCH(
      patchRequest(id, { version: 1, step: { kind: "triage", stepIndex: 0, checked: true } }),
      context(id),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).steps[0]).toMatchObject({ checked: true, checkedBy: { id: analystId } });
  });

  it("409 with the current version for a stale version", async () => {
    const id = await newAlert();
    await PATCH(patchRequest(id, { version: 1, status: "acknowledged" }), context(id));
    const response = await PATCH(patchRequest(id, { version: 1, status: "open" }), context(id));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: "version_conflict", details: { currentVersion: 2 } },
    });
  });

  it("404 for an unknown alert", async () => {
    const response = await PATCH(patchRequest("nope", { version: 1, status: "open" }), context("nope"));
    expect(response.status).toBe(404);
  });

  it("400 naming the field: no version, closing without reason, bad step index", async () => {
    const id = await newAlert();
    const noVersion = await PATCH(patchRequest(id, { status: "open" }), context(id));
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).error.details).toEqual([expect.objectContaining({ field: "version" })]);

    const noReason = await PATCH(patchRequest(id, { version: 1, status: "closed" }), context(id));
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.details).toEqual([expect.objectContaining({ field: "closingReason" })]);

    const badStep = await PATCH(
      patchRequest(id, { version: 1, step: { kind: "response", stepIndex: 5, checked: true } }),
      context(id),
    );
    expect(badStep.status).toBe(400);
    expect((await badStep.json()).error.details).toEqual([expect.objectContaining({ field: "step.stepIndex" })]);

    const badHeader = await PATCH(patchRequest(id, { status: "open" }, { ifMatch: "*" }), context(id));
    expect(badHeader.status).toBe(400);
  });

  it("403 for a cookie-authenticated PATCH from another origin", async () => {
    const id = await newAlert();
    const request = apiRequest(`/api/alerts/${id}`, {
      method: "PATCH",
      cookie: analystCookie,
      origin: "https://evil.example",
      body: { version: 1, status: "acknowledged" },
    });
    expect((await PATCH(request, context(id))).status).toBe(403);
  });
});
