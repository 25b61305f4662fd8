import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { syncBuiltinRules } from "@/lib/db/rules";
import { createTestDatabase } from "@/lib/db/test-database";
import { loadBuiltinRules } from "@/lib/rules/load";
import { GET as sampleFile } from "./[name]/route";
import { POST as load } from "./load/route";
import { DELETE as remove, GET as status } from "./route";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

let analyst: { user: { id: string }; cookie: string };
let admin: { user: { id: string }; cookie: string };
let viewer: { user: { id: string }; cookie: string };

beforeAll(async () => {
  await syncBuiltinRules(await loadBuiltinRules());
  analyst = await signedInUser("samples-analyst", "analyst");
  admin = await signedInUser("samples-admin", "admin");
  viewer = await signedInUser("samples-viewer", "viewer");
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

const post = (cookie: string, body?: unknown) =>
  load(apiRequest("/api/samples/load", { method: "POST", cookie, origin: TEST_ORIGIN, body }));
const del = (cookie: string) => remove(apiRequest("/api/samples", { method: "DELETE", cookie, origin: TEST_ORIGIN }));
const getStatus = async (cookie: string) => (await status(apiRequest("/api/samples", { cookie }))).json();

describe("sample data API", () => {
  it("refuses viewers and bad bodies", async () => {
    expect((await post(viewer.cookie)).status).toBe(403);
    expect((await del(viewer.cookie)).status).toBe(403);
    const bad = await post(analyst.cookie, { format: "syslog" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/format/);
    expect((await post(analyst.cookie, { format: "ecs", extra: 1 })).status).toBe(400);
    expect(await prisma().upload.count()).toBe(0);
  });

  it("loads the ECS sample by default, marked as sample data, and a second load adds nothing", async () => {
    expect(await getStatus(viewer.cookie)).toMatchObject({ loaded: false, uploads: [], alerts: 0 });

    const first = await post(analyst.cookie);
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ format: "ecs", alreadyLoaded: false, report: { status: "done" } });
    expect(body.report.alerts.created).toBeGreaterThanOrEqual(3);
    const upload = await prisma().upload.findUniqueOrThrow({ where: { id: body.uploadId } });
    expect(upload).toMatchObject({ sample: true, fileName: "Sample incident (ECS)", createdById: analyst.user.id });
    const ruleIds = new Set((await prisma().alert.findMany({ select: { ruleId: true } })).map((a) => a.ruleId));
    expect(ruleIds.size).toBe(3);

    const again = await post(analyst.cookie, { format: "ecs" });
    const againBody = await again.json();
    expect(againBody).toMatchObject({ alreadyLoaded: true, uploadId: body.uploadId });
    expect(againBody.message).toMatch(/already loaded/);
    expect(await prisma().upload.count()).toBe(1);
    expect(await prisma().alert.count()).toBe(body.report.alerts.created);

    const loaded = await getStatus(viewer.cookie);
    expect(loaded).toMatchObject({ loaded: true, alerts: body.report.alerts.created });
    expect(loaded.uploads).toHaveLength(1);
  });

  it("removes sample uploads with their events and alerts, keeps everything else, and audits it", async () => {
    await post(admin.cookie, { format: "falco" });
    // Data that is not a sample stays.
    const own = await prisma().upload.create({ data: { fileName: "mine.ndjson", format: "ecs", status: "done" } });
    await prisma().event.create({
      data: { uploadId: own.id, line: 1, contentHash: "own-event", timestamp: new Date(), document: "{}" },
    });

    const response = await del(admin.cookie);
    expect(response.status).toBe(200);
    const { removed } = await response.json();
    expect(removed.uploads).toBe(2);
    expect(removed.alerts).toBeGreaterThan(0);
    expect(await prisma().alert.count()).toBe(0);
    expect(await prisma().upload.findMany({ select: { id: true } })).toEqual([{ id: own.id }]);
    expect(await prisma().event.count()).toBe(1);
    expect(await getStatus(analyst.cookie)).toMatchObject({ loaded: false });

    const audit = await prisma().auditLog.findMany({
      where: { action: { startsWith: "samples." } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((entry) => [entry.action, entry.actorLabel])).toEqual([
      ["samples.load", "samples-analyst"],
      ["samples.load", "samples-analyst"],
      ["samples.load", "samples-admin"],
      ["samples.remove", "samples-admin"],
    ]);
    expect(JSON.parse(audit[3]!.details!)).toMatchObject({ uploads: 2, alerts: removed.alerts });
  });

  it("after removal the sample loads again in full", async () => {
    const body = await (await post(analyst.cookie, { format: "ecs" })).json();
    expect(body.alreadyLoaded).toBe(false);
    expect(body.report.events.duplicate).toBe(0);
  });

  it("keeps serving the small per-format files of the upload page", async () => {
    const response = await sampleFile(apiRequest("/api/samples/falco.ndjson", { cookie: viewer.cookie }), {
      params: Promise.resolve({ name: "falco.ndjson" }),
    });
    expect(response.status).toBe(200);
  });
});
