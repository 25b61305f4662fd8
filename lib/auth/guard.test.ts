import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiToken } from "../db/api-tokens";
import { prisma } from "../db/client";
import { createTestDatabase } from "../db/test-database";
import { issueApiToken } from "./api-tokens";
import { guard } from "./guard";
import { checkLogin, MAX_FAILED_LOGINS } from "./login";
import { endSession } from "./sessions";
import { apiRequest, signedInUser, TEST_ORIGIN } from "./test-helpers";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

async function status(request: Request, permission: Parameters<typeof guard>[1]): Promise<number> {
  const result = await guard(request, permission);
  return result.ok ? 200 : result.response.status;
}

describe("guard with API tokens", () => {
  it("401 without credentials, with a malformed header, or with an unknown token", async () => {
    expect(await status(apiRequest("/api/alerts"), "alerts:read")).toBe(401);
    expect(await status(apiRequest("/api/alerts", { token: "kw_not-a-real-token" }), "alerts:read")).toBe(401);
    const basic = new Request(`${TEST_ORIGIN}/api/alerts`, { headers: { authorization: "Basic YWRtaW46YWRtaW4=" } });
    expect(await status(basic, "alerts:read")).toBe(401);
  });

  it("an ingest token may send events and nothing else", async () => {
    const { token } = await issueApiToken({ name: "ci", role: "ingest", expiresAt: null, createdById: null });
    expect(await status(apiRequest("/api/events", { method: "POST", token }), "events:ingest")).toBe(200);
    expect(await status(apiRequest("/api/alerts", { token }), "alerts:read")).toBe(403);
    const denied = await guard(apiRequest("/api/alerts", { token }), "alerts:read");
    expect(denied.ok ? null : await denied.response.json()).toEqual({
      error: { code: "forbidden", message: "The ingest role may not do this (needs alerts:read)." },
    });
  });

  it("a viewer token reads but may not write", async () => {
    const { token } = await issueApiToken({ name: "dash", role: "viewer", expiresAt: null, createdById: null });
    expect(await status(apiRequest("/api/alerts", { token }), "alerts:read")).toBe(200);
    expect(await status(apiRequest("/api/alerts/1", { method: "PATCH", token }), "alerts:write")).toBe(403);
  });

  it("expired and revoked tokens stop working", async () => {
    const expired = await issueApiToken({
      name: "old",
      role: "admin",
      expiresAt: new Date(Date.now() - 1000),
      createdById: null,
    });
    expect(await status(apiRequest("/api/alerts", { token: expired.token }), "alerts:read")).toBe(401);
    const live = await issueApiToken({ name: "soon-revoked", role: "admin", expiresAt: null, createdById: null });
    expect(await status(apiRequest("/api/alerts", { token: live.token }), "alerts:read")).toBe(200);
    expect(await revokeApiToken(live.id)).toBe(true);
    expect(await status(apiRequest("/api/alerts", { token: live.token }), "alerts:read")).toBe(401);
  });

  it("stores only a hash of the token", async () => {
    const { token, id } = await issueApiToken({ name: "hashed", role: "viewer", expiresAt: null, createdById: null });
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
  });
});

describe("guard with session cookies", () => {
  let analyst: Awaited<ReturnType<typeof signedInUser>>;
  beforeAll(async () => {
    analyst = await signedInUser("ana", "analyst");
  });

  it("accepts a live session and applies the role", async () => {
    expect(await status(apiRequest("/api/alerts", { cookie: analyst.cookie }), "alerts:read")).toBe(200);
    expect(await status(apiRequest("/api/users", { cookie: analyst.cookie }), "users:manage")).toBe(403);
  });

  it("refuses a cookie-authenticated write from another origin (CSRF) or without an Origin", async () => {
    const write = (origin: string | null) =>
      apiRequest("/api/alerts/1", { method: "PATCH", cookie: analyst.cookie, origin });
    expect(await status(write("https://evil.example"), "alerts:write")).toBe(403);
    expect(await status(write(null), "alerts:write")).toBe(403);
    expect(await status(write(TEST_ORIGIN), "alerts:write")).toBe(200);
  });

  it("a revoked session (sign-out) and a disabled account lose access", async () => {
    const viewer = await signedInUser("vic", "viewer");
    expect(await status(apiRequest("/api/alerts", { cookie: viewer.cookie }), "alerts:read")).toBe(200);
    await endSession(viewer.cookieValue);
    expect(await status(apiRequest("/api/alerts", { cookie: viewer.cookie }), "alerts:read")).toBe(401);

    const other = await signedInUser("dee", "analyst");
    await prisma().user.update({ where: { id: other.user.id }, data: { disabled: true } });
    expect(await status(apiRequest("/api/alerts", { cookie: other.cookie }), "alerts:read")).toBe(401);
  });
});

describe("sign-in", () => {
  it("locks an account after repeated failures, even against the right password", async () => {
    await signedInUser("lou", "analyst", "the right password");
    for (let attempt = 1; attempt < MAX_FAILED_LOGINS; attempt++) {
      expect(await checkLogin("lou", "wrong", null)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await checkLogin("lou", "wrong", null)).toMatchObject({ ok: false, reason: "locked" });
    expect(await checkLogin("lou", "the right password", null)).toMatchObject({ ok: false, reason: "locked" });
    const failures = await prisma().auditLog.count({ where: { actorLabel: "lou", action: "login.failed" } });
    expect(failures).toBe(MAX_FAILED_LOGINS);
  });

  it("does not tell unknown usernames from wrong passwords", async () => {
    expect(await checkLogin("nobody", "whatever", null)).toEqual({ ok: false, reason: "invalid" });
  });

  it("signs in with the right password and records it", async () => {
    const { user } = await signedInUser("sam", "viewer", "sam's good password");
    expect(await checkLogin("sam", "sam's good password", "10.0.0.1")).toEqual({ ok: true, userId: user.id });
    expect(await prisma().auditLog.count({ where: { actorId: user.id, action: "login", ip: "10.0.0.1" } })).toBe(1);
  });
});
