import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { issueApiToken } from "@/lib/auth/api-tokens";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { prisma } from "@/lib/db/client";
import { setUpTestDatabase } from "@/lib/db/test-database-hooks";
import * as ruleRoute from "./[id]/route";
import * as exportRoute from "./export/route";
import * as importRoute from "./import/route";
import * as rulesRoute from "./route";

/** The rules API as a browser or a script uses it: real sessions, tokens and database. */
setUpTestDatabase();

type Signed = Awaited<ReturnType<typeof signedInUser>>;
let admin: Signed;
let analyst: Signed;
let viewer: Signed;
beforeAll(async () => {
  admin = await signedInUser("boss", "admin");
  analyst = await signedInUser("ana", "analyst");
  viewer = await signedInUser("vic", "viewer");
});

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const write = (url: string, method: string, signed: Signed, body?: unknown) =>
  apiRequest(url, { method, cookie: signed.cookie, origin: TEST_ORIGIN, body });
// biome-ignore lint/suspicious/noExplicitAny: the tests read response bodies of every shape
const json = async (response: Response) => (await response.json()) as Record<string, any>;

const newRule = {
  name: "Socat in container",
  description: "socat started inside a container.",
  type: "eql",
  query: 'process where process.name == "socat"',
  severity: "medium",
  riskScore: 40,
  tags: ["Custom"],
};

describe("who may use the rules API", () => {
  it("401 without credentials, 403 for viewers on writes, 200 for viewers on reads", async () => {
    expect((await rulesRoute.GET(apiRequest("/api/rules"))).status).toBe(401);
    expect((await rulesRoute.GET(apiRequest("/api/rules", { cookie: viewer.cookie }))).status).toBe(200);
    expect((await exportRoute.GET(apiRequest("/api/rules/export", { cookie: viewer.cookie }))).status).toBe(200);
    expect((await rulesRoute.POST(write("/api/rules", "POST", viewer, newRule))).status).toBe(403);
    expect(
      (await ruleRoute.PATCH(write("/api/rules/x", "PATCH", viewer, { enabled: false }), params("x"))).status,
    ).toBe(403);
    expect((await ruleRoute.DELETE(write("/api/rules/x", "DELETE", viewer), params("x"))).status).toBe(403);
    expect((await importRoute.POST(write("/api/rules/import", "POST", viewer, "x"))).status).toBe(403);
    expect(await prisma().rule.count()).toBe(0);
  });

  it("an ingest token may not read rules; an analyst token may write them", async () => {
    const ingest = await issueApiToken({ name: "feed", role: "ingest", expiresAt: null, createdById: null });
    expect((await rulesRoute.GET(apiRequest("/api/rules", { token: ingest.token }))).status).toBe(403);
    const bot = await issueApiToken({ name: "bot", role: "analyst", expiresAt: null, createdById: null });
    const created = await rulesRoute.POST(
      apiRequest("/api/rules", { method: "POST", token: bot.token, body: { ...newRule, id: "by-token" } }),
    );
    expect(created.status).toBe(201);
    const entry = await prisma().auditLog.findFirst({ where: { action: "rule.create", targetId: "by-token" } });
    expect(entry?.actorLabel).toBe("token:bot");
  });
});

describe("rules API", () => {
  it("creates, lists with filters, reads, edits and deletes a rule, auditing each write", async () => {
    const created = await rulesRoute.POST(write("/api/rules", "POST", analyst, newRule));
    expect(created.status).toBe(201);
    const id = (await json(created)).rule.id as string;

    const list = await json(
      await rulesRoute.GET(apiRequest("/api/rules?tag=Custom&enabled=true", { cookie: viewer.cookie })),
    );
    expect(list.items.map((r: { id: string }) => r.id)).toContain(id);
    expect(list.items[0]).toMatchObject({ alerts24h: 0, alerts7d: 0, lastAlertAt: null });
    const none = await json(await rulesRoute.GET(apiRequest("/api/rules?enabled=false", { cookie: viewer.cookie })));
    expect(none.items).toEqual([]);
    expect((await rulesRoute.GET(apiRequest("/api/rules?severity=huge", { cookie: viewer.cookie }))).status).toBe(400);

    const patched = await ruleRoute.PATCH(
      write(`/api/rules/${id}`, "PATCH", analyst, { severity: "high" }),
      params(id),
    );
    expect(await json(patched)).toMatchObject({ rule: { severity: "high", version: 2 } });
    const detail = await json(
      await ruleRoute.GET(apiRequest(`/api/rules/${id}`, { cookie: viewer.cookie }), params(id)),
    );
    expect(detail.versions.map((v: { version: number; createdBy: string }) => [v.version, v.createdBy])).toEqual([
      [1, "ana"],
    ]);

    const removed = await ruleRoute.DELETE(write(`/api/rules/${id}`, "DELETE", admin), params(id));
    expect(removed.status).toBe(200);
    expect((await ruleRoute.GET(apiRequest(`/api/rules/${id}`, { cookie: viewer.cookie }), params(id))).status).toBe(
      404,
    );
    const actions = await prisma().auditLog.findMany({ where: { targetId: id }, orderBy: { id: "asc" } });
    expect(actions.map((a) => [a.action, a.actorLabel])).toEqual([
      ["rule.create", "ana"],
      ["rule.update", "ana"],
      ["rule.delete", "boss"],
    ]);
  });

  it("answers 400 naming the field, with the line and column of a query error", async () => {
    const response = await rulesRoute.POST(
      write("/api/rules", "POST", analyst, { ...newRule, riskScore: 500, query: "process where\n  (" }),
    );
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error.code).toBe("invalid_rule");
    expect(body.error.details).toEqual([expect.objectContaining({ field: "riskScore" })]);
    const query = await json(
      await rulesRoute.POST(write("/api/rules", "POST", analyst, { ...newRule, query: "process where\n  (" })),
    );
    expect(query.error.details).toEqual([expect.objectContaining({ field: "query", line: 2 })]);
  });

  it("imports a Kibana export sent as a multipart file and as a raw body, and exports NDJSON", async () => {
    const text = readFileSync(
      path.join(import.meta.dirname, "..", "..", "..", "lib", "rules", "fixtures", "kibana-export.ndjson"),
      "utf8",
    );
    const form = new FormData();
    form.set("file", new File([text], "kibana-export.ndjson", { type: "application/x-ndjson" }));
    const multipart = new Request(`${TEST_ORIGIN}/api/rules/import`, {
      method: "POST",
      headers: { cookie: analyst.cookie, origin: TEST_ORIGIN, host: new URL(TEST_ORIGIN).host },
      body: form,
    });
    const report = await json(await importRoute.POST(multipart));
    expect(report).toMatchObject({ file: "kibana-export.ndjson", format: "kibana-ndjson", created: 1, refused: 3 });

    const raw = new Request(`${TEST_ORIGIN}/api/rules/import?filename=again.ndjson`, {
      method: "POST",
      headers: { cookie: analyst.cookie, origin: TEST_ORIGIN, host: new URL(TEST_ORIGIN).host },
      body: text,
    });
    expect(await json(await importRoute.POST(raw))).toMatchObject({ created: 0, unchanged: 1, refused: 3 });
    expect((await importRoute.POST(write("/api/rules/import", "POST", analyst))).status).toBe(400);

    const exported = await exportRoute.GET(apiRequest("/api/rules/export", { cookie: viewer.cookie }));
    expect(exported.headers.get("content-disposition")).toMatch(/attachment/);
    const lines = (await exported.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.rule_id ?? "summary")).toContain("5f0a2c9e-3b7d-4c1e-9a6f-2d8e4b1c7a90");
    expect(lines.at(-1)).toMatchObject({ exported_rules_count: lines.length - 1 });
  });

  it("refuses to delete a built-in rule", async () => {
    await prisma().rule.create({
      data: {
        id: "bi",
        name: "Built in",
        description: "d",
        query: "process where true",
        severity: "low",
        riskScore: 1,
        builtin: true,
      },
    });
    const response = await ruleRoute.DELETE(write("/api/rules/bi", "DELETE", admin), params("bi"));
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe("builtin_rule");
    const toggled = await ruleRoute.PATCH(write("/api/rules/bi", "PATCH", admin, { enabled: false }), params("bi"));
    expect(await json(toggled)).toMatchObject({ rule: { enabled: false } });
  });
});
