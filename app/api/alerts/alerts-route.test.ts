import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/db/test-database";
import { POST as bulk } from "./bulk/route";
import { GET as groups } from "./groups/route";
import { GET as list } from "./route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

let analyst: { user: { id: string }; cookie: string };
let viewer: { user: { id: string }; cookie: string };
let viewerToken: string;
let analystToken: string;
const alertIds: string[] = [];

beforeAll(async () => {
  analyst = await signedInUser("route-analyst", "analyst");
  viewer = await signedInUser("route-viewer", "viewer");
  viewerToken = (await issueApiToken({ name: "v", role: "viewer", expiresAt: null, createdById: null })).token;
  analystToken = (await issueApiToken({ name: "a", role: "analyst", expiresAt: null, createdById: null })).token;
  await prisma().rule.create({
    data: { id: "r-shell", name: "Shell in container", description: "t", query: "q", severity: "high", riskScore: 73 },
  });
  const severities = [
    ["high", 3],
    ["high", 3],
    ["low", 1],
  ] as const;
  for (const [index, [severity, rank]] of severities.entries()) {
    const alert = await prisma().alert.create({
      data: {
        ruleId: "r-shell",
        ruleName: "Shell in container",
        severity,
        severityRank: rank,
        riskScore: 73,
        dedupKey: `route-${index}`,
        timestamp: new Date(Date.UTC(2026, 10, 20, 10, index)),
        containerId: index === 0 ? "c-pay" : "c-web",
        containerName: index === 0 ? "payments_api" : "web",
        hostName: "node-a",
      },
    });
    alertIds.push(alert.id);
  }
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

const get = (path: string, init: Parameters<typeof apiRequest>[1] = {}) =>
  list(apiRequest(path, { method: "GET", ...init }));

describe("GET /api/alerts", () => {
  it("answers 401 without a session or token", async () => {
    const response = await get("/api/alerts");
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  });

  it("lists alerts for a viewer's session with filters applied", async () => {
    const response = await get("/api/alerts?severity=high&q=payments_&sort=newest", { cookie: viewer.cookie });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items.map((item: { id: string }) => item.id)).toEqual([alertIds[0]]);
    expect(body.items[0]).toMatchObject({ severity: "high", containerName: "payments_api", status: "open" });
    expect(body.items[0].timestamp).toBe("2026-11-20T10:00:00.000Z");
    expect(body.nextCursor).toBeNull();
  });

  it("pages with nextCursor for a bearer token", async () => {
    const first = await (await get("/api/alerts?limit=2", { token: viewerToken })).json();
    expect(first.items).toHaveLength(2);
    const second = await (
      await get(`/api/alerts?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { token: viewerToken })
    ).json();
    expect(second.items.map((item: { id: string }) => item.id)).toEqual([alertIds[0]]);
  });

  it("answers 400 naming the bad parameter", async () => {
    const response = await get("/api/alerts?severity=urgent&limit=9999", { token: viewerToken });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toMatch(/severity/);
    expect(body.error.details.map((d: { field: string }) => d.field)).toEqual(["severity.0", "limit"]);
  });
});

describe("GET /api/alerts/groups", () => {
  it("counts matching alerts and groups them", async () => {
    const response = await groups(apiRequest("/api/alerts/groups?by=container&severity=high", { token: viewerToken }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      total: 2,
      by: "container",
      groups: [
        { key: "c-pay", label: "payments_api", count: 1 },
        { key: "c-web", label: "web", count: 1 },
      ],
    });
  });

  it("answers 400 for an unknown grouping", async () => {
    const response = await groups(apiRequest("/api/alerts/groups?by=planet", { token: viewerToken }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/^Invalid query parameter by:/);
  });
});

describe("POST /api/alerts/bulk", () => {
  const post = (body: unknown, init: Parameters<typeof apiRequest>[1]) =>
    bulk(apiRequest("/api/alerts/bulk", { method: "POST", body, ...init }));

  it("answers 401 without credentials and 403 for a viewer", async () => {
    expect((await post({ ids: [alertIds[2]], action: "acknowledge" }, {})).status).toBe(401);
    const asViewer = await post(
      { ids: [alertIds[2]], action: "acknowledge" },
      { cookie: viewer.cookie, origin: TEST_ORIGIN },
    );
    expect(asViewer.status).toBe(403);
    expect((await post({ ids: [alertIds[2]], action: "acknowledge" }, { token: viewerToken })).status).toBe(403);
    expect(await prisma().alert.findUnique({ where: { id: alertIds[2] } })).toMatchObject({ status: "open" });
  });

  it("refuses a cookie-authenticated request from another origin", async () => {
    const response = await post(
      { ids: [alertIds[2]], action: "acknowledge" },
      { cookie: analyst.cookie, origin: "http://evil.example" },
    );
    expect(response.status).toBe(403);
  });

  it("acknowledges for an analyst and records who did it", async () => {
    const response = await post(
      { ids: [alertIds[1], alertIds[2]], action: "acknowledge" },
      { cookie: analyst.cookie, origin: TEST_ORIGIN },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ updated: [alertIds[1], alertIds[2]], unchanged: [], missing: [] });
    const changes = await prisma().alertChange.findMany({ where: { alertId: alertIds[1] } });
    expect(changes).toMatchObject([{ actorId: analyst.user.id, field: "status", toValue: "acknowledged" }]);
    const audit = await prisma().auditLog.findFirst({ where: { action: "alerts.bulk.acknowledge" } });
    expect(audit?.actorLabel).toBe("route-analyst");
  });

  it("answers 400 naming closingReason when closing without one", async () => {
    const response = await post({ ids: [alertIds[0]], action: "close" }, { token: analystToken });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.details).toEqual([{ field: "closingReason", message: expect.stringMatching(/reason/) }]);
  });

  it("answers 400 naming assigneeId for an unknown user", async () => {
    const response = await post({ ids: [alertIds[0]], action: "assign", assigneeId: "ghost" }, { token: analystToken });
    expect(response.status).toBe(400);
    expect((await response.json()).error.details[0].field).toBe("assigneeId");
  });

  it("closes with a reason for an analyst token", async () => {
    const response = await post(
      { ids: [alertIds[0]], action: "close", closingReason: "benign" },
      { token: analystToken },
    );
    expect(response.status).toBe(200);
    const listed = await (await get("/api/alerts?status=closed", { token: viewerToken })).json();
    expect(listed.items).toMatchObject([{ id: alertIds[0], closingReason: "benign", version: 2 }]);
  });
});
