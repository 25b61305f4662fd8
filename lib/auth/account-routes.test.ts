import { beforeAll, describe, expect, it } from "vitest";
import * as accountPassword from "@/app/api/account/password/route";
import * as auditRoute from "@/app/api/audit/route";
import * as tokenRoute from "@/app/api/tokens/[id]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as userRoute from "@/app/api/users/[id]/route";
import * as usersRoute from "@/app/api/users/route";
import { prisma } from "../db/client";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { issueApiToken } from "./api-tokens";
import { guard } from "./guard";
import { hashSecret } from "./secrets";
import { startSession } from "./sessions";
import { apiRequest, signedInUser, TEST_ORIGIN } from "./test-helpers";

/** The settings API driven the way a browser or script would: real requests, real sessions and tokens. */
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
const write = (path: string, method: string, signed: Signed, body?: unknown) =>
  apiRequest(path, { method, cookie: signed.cookie, origin: TEST_ORIGIN, body });

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe("who may use the admin routes", () => {
  it("401 without credentials, 403 for analysts and viewers, 200 for admins", async () => {
    expect((await usersRoute.GET(apiRequest("/api/users"))).status).toBe(401);
    for (const who of [analyst, viewer]) {
      expect((await usersRoute.GET(apiRequest("/api/users", { cookie: who.cookie }))).status).toBe(403);
      expect((await tokensRoute.GET(apiRequest("/api/tokens", { cookie: who.cookie }))).status).toBe(403);
      expect((await auditRoute.GET(apiRequest("/api/audit", { cookie: who.cookie }))).status).toBe(403);
      const create = write("/api/tokens", "POST", who, { name: "sneaky", role: "admin" });
      expect((await tokensRoute.POST(create)).status).toBe(403);
      const promote = write(`/api/users/${who.user.id}`, "PATCH", who, { role: "admin" });
      expect((await userRoute.PATCH(promote, params(who.user.id))).status).toBe(403);
    }
    expect(await prisma().apiToken.count({ where: { name: "sneaky" } })).toBe(0);
    expect(await prisma().user.count({ where: { role: "admin" } })).toBe(1);
    expect((await usersRoute.GET(apiRequest("/api/users", { cookie: admin.cookie }))).status).toBe(200);
  });

  it("an admin API token may manage users; an analyst token may not", async () => {
    const adminToken = await issueApiToken({ name: "ops", role: "admin", expiresAt: null, createdById: null });
    const analystToken = await issueApiToken({ name: "bot", role: "analyst", expiresAt: null, createdById: null });
    expect((await usersRoute.GET(apiRequest("/api/users", { token: adminToken.token }))).status).toBe(200);
    expect((await usersRoute.GET(apiRequest("/api/users", { token: analystToken.token }))).status).toBe(403);
  });

  it("refuses a cookie-authenticated write from another origin", async () => {
    const request = apiRequest("/api/users", {
      method: "POST",
      cookie: admin.cookie,
      origin: "https://evil.example",
      body: { username: "mallory", displayName: "M", role: "admin", password: "long enough password" },
    });
    expect((await usersRoute.POST(request)).status).toBe(403);
  });
});

describe("users API", () => {
  it("creates a user, names invalid fields, and lists users without password hashes", async () => {
    const bad = await usersRoute.POST(
      write("/api/users", "POST", admin, { username: "Bad Name", displayName: "", role: "ingest", password: "short" }),
    );
    expect(bad.status).toBe(400);
    const fields = ((await json(bad)).error as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields.sort()).toEqual(["displayName", "password", "role", "username"]);

    const created = await usersRoute.POST(
      write("/api/users", "POST", admin, {
        username: "nina",
        displayName: "Nina",
        role: "analyst",
        password: "nina's long password",
      }),
    );
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ user: { username: "nina", role: "analyst", disabled: false } });

    const list = await usersRoute.GET(apiRequest("/api/users", { cookie: admin.cookie }));
    const text = JSON.stringify(await list.json());
    expect(text).toContain('"username":"nina"');
    expect(text).not.toMatch(/passwordHash|scrypt\$/);
  });

  it("protects the last active admin with a clear 409", async () => {
    const response = await userRoute.PATCH(
      write(`/api/users/${admin.user.id}`, "PATCH", admin, { role: "analyst" }),
      params(admin.user.id),
    );
    expect(response.status).toBe(409);
    expect(await json(response)).toMatchObject({
      error: { code: "last_admin", message: expect.stringContaining("last active admin") },
    });
    const byToken = await issueApiToken({ name: "ops-2", role: "admin", expiresAt: null, createdById: null });
    const disable = await userRoute.PATCH(
      apiRequest(`/api/users/${admin.user.id}`, { method: "PATCH", token: byToken.token, body: { disabled: true } }),
      params(admin.user.id),
    );
    expect(disable.status).toBe(409);
    expect(await json(disable)).toMatchObject({ error: { code: "last_admin" } });
    expect((await guard(apiRequest("/api/users", { cookie: admin.cookie }), "users:manage")).ok).toBe(true);
  });

  it("a disabled user's session is refused at once", async () => {
    const victim = await signedInUser("dis", "analyst");
    expect((await guard(apiRequest("/api/auth/me", { cookie: victim.cookie }), "alerts:read")).ok).toBe(true);
    const response = await userRoute.PATCH(
      write(`/api/users/${victim.user.id}`, "PATCH", admin, { disabled: true }),
      params(victim.user.id),
    );
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ user: { disabled: true }, sessionsRevoked: 1 });
    const after = await guard(apiRequest("/api/auth/me", { cookie: victim.cookie }), "alerts:read");
    expect(after.ok ? 200 : after.response.status).toBe(401);
  });

  it("rejects an empty or unknown patch and 404s an unknown user", async () => {
    const empty = await userRoute.PATCH(write(`/api/users/${viewer.user.id}`, "PATCH", admin, {}), params("x"));
    expect(empty.status).toBe(400);
    const unknownField = await userRoute.PATCH(
      write(`/api/users/${viewer.user.id}`, "PATCH", admin, { username: "renamed" }),
      params(viewer.user.id),
    );
    expect(unknownField.status).toBe(400);
    const missing = await userRoute.PATCH(write("/api/users/none", "PATCH", admin, { role: "viewer" }), params("none"));
    expect(missing.status).toBe(404);
  });
});

describe("tokens API", () => {
  it("shows the secret once, stores only its hash, and a revoked token is refused by the guard", async () => {
    const response = await tokensRoute.POST(
      write("/api/tokens", "POST", admin, { name: "ingest-ci", role: "ingest", expiresInDays: 7 }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { token } = (await response.json()) as { token: { id: string; token: string; expiresAt: string } };
    expect(token.token).toMatch(/^kw_/);

    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(hashSecret(token.token));
    expect(JSON.stringify(row)).not.toContain(token.token);

    const listed = await (await tokensRoute.GET(apiRequest("/api/tokens", { cookie: admin.cookie }))).text();
    expect(listed).toContain('"name":"ingest-ci"');
    expect(listed).not.toContain(token.token);
    expect(listed).not.toContain(row.tokenHash);

    expect((await guard(apiRequest("/api/events", { token: token.token }), "events:ingest")).ok).toBe(true);
    const listedAfterUse = (await (
      await tokensRoute.GET(apiRequest("/api/tokens", { cookie: admin.cookie }))
    ).json()) as { tokens: { id: string; lastUsedAt: string | null; createdBy: string | null }[] };
    const mine = listedAfterUse.tokens.find((t) => t.id === token.id);
    expect(mine?.lastUsedAt).not.toBeNull();
    expect(mine?.createdBy).toBe("boss");

    const revoked = await tokenRoute.DELETE(write(`/api/tokens/${token.id}`, "DELETE", admin), params(token.id));
    expect(revoked.status).toBe(200);
    const refused = await guard(apiRequest("/api/events", { token: token.token }), "events:ingest");
    expect(refused.ok ? 200 : refused.response.status).toBe(401);
    const again = await tokenRoute.DELETE(write(`/api/tokens/${token.id}`, "DELETE", admin), params(token.id));
    expect(again.status).toBe(409);
  });

  it("names invalid token fields", async () => {
    const response = await tokensRoute.POST(
      write("/api/tokens", "POST", admin, { name: " ", role: "root", expiresInDays: 0.5 }),
    );
    expect(response.status).toBe(400);
    const details = ((await json(response)).error as { details: { field: string }[] }).details;
    expect(details.map((d) => d.field).sort()).toEqual(["expiresInDays", "name", "role"]);
  });
});

describe("account password API", () => {
  it("changes the caller's password and revokes their other sessions only", async () => {
    const pat = await signedInUser("pat", "viewer", "pat's first password");
    const laptop = await startSession(pat.user.id, {});
    const wrong = await accountPassword.POST(
      write("/api/account/password", "POST", pat, {
        currentPassword: "nope",
        newPassword: "pat's second password",
      }),
    );
    expect(wrong.status).toBe(400);
    expect(await json(wrong)).toMatchObject({ error: { details: [{ field: "currentPassword" }] } });

    const ok = await accountPassword.POST(
      write("/api/account/password", "POST", pat, {
        currentPassword: "pat's first password",
        newPassword: "pat's second password",
      }),
    );
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ sessionsRevoked: 1 });
    expect((await guard(apiRequest("/api/auth/me", { cookie: pat.cookie }), "alerts:read")).ok).toBe(true);
    const other = await guard(
      apiRequest("/api/auth/me", { cookie: `keelwatch_session=${laptop.cookieValue}` }),
      "alerts:read",
    );
    expect(other.ok).toBe(false);
  });

  it("refuses a too-short new password with a field error, and API tokens", async () => {
    const short = await accountPassword.POST(
      write("/api/account/password", "POST", viewer, { currentPassword: "correct horse battery", newPassword: "x" }),
    );
    expect(short.status).toBe(400);
    expect(await json(short)).toMatchObject({ error: { details: [{ field: "newPassword" }] } });
    const token = await issueApiToken({ name: "pw-bot", role: "admin", expiresAt: null, createdById: null });
    const byToken = await accountPassword.POST(
      apiRequest("/api/account/password", {
        method: "POST",
        token: token.token,
        body: { currentPassword: "whatever", newPassword: "long enough password" },
      }),
    );
    expect(byToken.status).toBe(403);
  });
});

describe("audit API", () => {
  it("lists admin actions newest first, filtered by actor and action, with a cursor", async () => {
    const all = (await (
      await auditRoute.GET(apiRequest("/api/audit?actor=boss", { cookie: admin.cookie }))
    ).json()) as {
      entries: { action: string; actorLabel: string }[];
      actions: string[];
      nextBefore: number | null;
    };
    expect(all.entries.length).toBeGreaterThan(3);
    expect(all.entries.every((e) => e.actorLabel === "boss")).toBe(true);
    expect(all.entries[0]?.action).toBe("token.revoke");
    expect(all.actions).toEqual(expect.arrayContaining(["user.create", "user.update", "token.create"]));

    const paged = (await (
      await auditRoute.GET(apiRequest("/api/audit?actor=boss&limit=1", { cookie: admin.cookie }))
    ).json()) as { entries: { id: number }[]; nextBefore: number };
    const next = (await (
      await auditRoute.GET(
        apiRequest(`/api/audit?actor=boss&limit=1&before=${paged.nextBefore}`, { cookie: admin.cookie }),
      )
    ).json()) as { entries: { id: number }[] };
    expect(next.entries[0]?.id).toBeLessThan(paged.entries[0]?.id ?? 0);

    const tokensOnly = (await (
      await auditRoute.GET(apiRequest("/api/audit?action=token.", { cookie: admin.cookie }))
    ).json()) as { entries: { action: string }[] };
    expect(new Set(tokensOnly.entries.map((e) => e.action))).toEqual(new Set(["token.create", "token.revoke"]));

    const bad = await auditRoute.GET(apiRequest("/api/audit?limit=5000&sort=asc", { cookie: admin.cookie }));
    expect(bad.status).toBe(400);
  });
});
