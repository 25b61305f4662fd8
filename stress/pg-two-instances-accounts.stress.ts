/**
 * Accounts and triage with two instances on one PostgreSQL database (issue 22), each request sent to whichever
 * instance a load balancer without sticky sessions would pick:
 *
 * - both instances start at once on a new database with KEELWATCH_ADMIN_PASSWORD: one first admin, one audit entry;
 * - a session started on one instance is honoured by the other, and signing out on the other ends it on both;
 * - a password-guessing burst spread over both instances gets at most five passwords checked before the account
 *   locks, and then the right password is refused on either instance;
 * - an API token made on one instance works on the other until it is revoked there;
 * - a rule switched off through one instance stops raising alerts through the other, and back on;
 * - two analysts changing the same alert at once through different instances: one change wins, the other gets 409
 *   with the current version, and the alert's history holds the one change;
 * - every one of these actions is in the shared audit log, whichever instance served it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { numberedAlerts } from "./falco-pushes";
import { addPostgresApiToken, type Instances, startInstances, withPostgres } from "./postgresql";
import { type KeelwatchServer, send } from "./server";

const ADMIN_PASSWORD = "stress-two-instances-admin";
const ANALYST_PASSWORD = "the analyst's own password";
const BURST = 16;
const MAX_FAILED_LOGINS = 5;
/** The built-in rule that turns each Falco alert into a Keelwatch alert. */
const FALCO_ALERT_RULE = "4c50a75e-4bea-402d-87e3-3360cd924004";

let instances: Instances | null = null;

afterAll(async () => {
  for (const server of instances?.servers ?? []) await server.kill();
});

interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown>;
  cookie?: string;
}

/** A request as a browser sends it to `server`: JSON, the session cookie, and that server's own Origin. */
async function request(
  server: KeelwatchServer,
  method: string,
  path: string,
  options: { cookie?: string; token?: string; body?: unknown; ifMatch?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { origin: server.baseUrl };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.ifMatch !== undefined) headers["if-match"] = `"${options.ifMatch}"`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const answer = await send(method, `${server.baseUrl}${path}`, { headers, body });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return { ...answer, json };
}

/** Signs in through `server`; the session cookie (name=value) or the refusal. */
async function signIn(server: KeelwatchServer, username: string, password: string): Promise<Answer> {
  const headers = { "content-type": "application/json", origin: server.baseUrl };
  const body = JSON.stringify({ username, password });
  const answer = await sendWithCookie(`${server.baseUrl}/api/auth/login`, headers, body);
  return answer;
}

async function sendWithCookie(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(url, { method: "POST", headers, body, redirect: "manual" });
  const text = await response.text();
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: response.status, text, json, cookie: cookie || undefined };
}

const auditCount = (url: string, action: string, actorLabel?: string) =>
  withPostgres(url, async (client) => {
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM "AuditLog" WHERE "action" = $1 AND ($2::text IS NULL OR "actorLabel" = $2)`,
      [action, actorLabel ?? null],
    );
    return Number(result.rows[0]?.n ?? 0);
  });

describe("two instances on one PostgreSQL database: accounts, tokens and triage", () => {
  it("start together with one first admin, and share sessions, lockout, tokens, alert versions and the audit log", async () => {
    instances = await startInstances(2, () => ({ env: { KEELWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD } }));
    const [a, b] = instances.servers as [KeelwatchServer, KeelwatchServer];
    const url = instances.url;

    // Both started on an empty database at the same moment: one admin, made once.
    const admins = await withPostgres(url, (client) => client.query(`SELECT "username" FROM "User"`));
    expect(admins.rows).toEqual([{ username: "admin" }]);
    expect(await auditCount(url, "user.create")).toBe(1);

    // A session started through A is honoured through B.
    const admin = await signIn(a, "admin", ADMIN_PASSWORD);
    expect(admin.status, admin.text).toBe(200);
    expect(admin.cookie).toBeTruthy();
    const me = await request(b, "GET", "/api/auth/me", { cookie: admin.cookie });
    expect(me.status, me.text).toBe(200);
    expect(me.json.principal).toMatchObject({ kind: "user", username: "admin", role: "admin" });

    // An account made through B signs in through A.
    const created = await request(b, "POST", "/api/users", {
      cookie: admin.cookie,
      body: { username: "ana", displayName: "Ana", role: "analyst", password: ANALYST_PASSWORD },
    });
    expect(created.status, created.text).toBe(201);
    const ana = await signIn(a, "ana", ANALYST_PASSWORD);
    expect(ana.status, ana.text).toBe(200);

    // A guessing burst spread over both instances: at most five passwords checked, then locked everywhere.
    await withPostgres(url, (client) =>
      client.query(`INSERT INTO "User" ("id", "username", "displayName", "role", "passwordHash", "createdAt", "updatedAt")
      SELECT 'stress-target', 'target', 'Target', 'viewer', "passwordHash", now(), now() FROM "User" WHERE "username" = 'ana'`),
    );
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) => signIn(i % 2 === 0 ? a : b, "target", `guess number ${i}`)),
    );
    expect(burst.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    const checked = await auditCount(url, "login.failed", "target");
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    expect(await auditCount(url, "login.locked", "target")).toBe(BURST - checked);
    for (const server of [a, b]) {
      // The target's password is Ana's (copied hash): right, and refused while the lock holds.
      const right = await signIn(server, "target", ANALYST_PASSWORD);
      expect(right.status, right.text).toBe(429);
      expect(right.json).toMatchObject({ error: { code: "account_locked" } });
    }

    // A token made through A works through B until B revokes it; then A refuses it too.
    const made = await request(a, "POST", "/api/tokens", {
      cookie: admin.cookie,
      body: { name: "ci reader", role: "viewer" },
    });
    expect(made.status, made.text).toBe(201);
    const token = made.json.token as { id: string; token: string };
    expect((await request(b, "GET", "/api/alerts?limit=1", { token: token.token })).status).toBe(200);
    const revoked = await request(b, "DELETE", `/api/tokens/${token.id}`, { cookie: admin.cookie });
    expect(revoked.status, revoked.text).toBe(200);
    expect((await request(a, "GET", "/api/alerts?limit=1", { token: token.token })).status).toBe(401);

    // An alert, pushed through A; two analysts triage it at once through different instances.
    const ingest = await addPostgresApiToken(url, "ingest");
    const alert = numberedAlerts()(1);
    const pushed = await request(a, "POST", "/api/events", { token: ingest, body: alert });
    expect(pushed.status, pushed.text).toBeLessThan(300);
    const listed = await request(b, "GET", "/api/alerts?limit=5", { cookie: ana.cookie });
    const items = listed.json.items as { id: string; version: number }[];
    expect(items).toHaveLength(1);
    const [{ id, version }] = items as [{ id: string; version: number }];
    const [viaA, viaB] = await Promise.all([
      request(a, "PATCH", `/api/alerts/${id}`, {
        cookie: ana.cookie,
        ifMatch: version,
        body: { status: "acknowledged" },
      }),
      request(b, "PATCH", `/api/alerts/${id}`, {
        cookie: admin.cookie,
        ifMatch: version,
        body: { status: "closed", closingReason: "false_positive" },
      }),
    ]);
    const statuses = [viaA.status, viaB.status].sort();
    expect(statuses, `${viaA.text}\n${viaB.text}`).toEqual([200, 409]);
    const loser = viaA.status === 409 ? viaA : viaB;
    expect(loser.json).toMatchObject({ error: { code: "version_conflict", details: { currentVersion: version + 1 } } });
    const after = await request(a, "GET", `/api/alerts/${id}`, { cookie: ana.cookie });
    expect(after.json).toMatchObject({ version: version + 1, status: viaA.status === 200 ? "acknowledged" : "closed" });

    // A rule switched off through B stops raising alerts on A at its next batch, and back on through A, on B.
    const raised = () =>
      withPostgres(url, async (client) => {
        const result = await client.query<{ n: string }>(
          `SELECT count(*) + coalesce(sum("suppressedCount"), 0) AS n FROM "Alert" WHERE "ruleId" = $1`,
          [FALCO_ALERT_RULE],
        );
        return Number(result.rows[0]?.n ?? 0);
      });
    expect(await raised()).toBe(1);
    const off = await request(b, "PATCH", `/api/rules/${FALCO_ALERT_RULE}`, {
      cookie: admin.cookie,
      body: { enabled: false },
    });
    expect(off.status, off.text).toBe(200);
    expect((await request(a, "POST", "/api/events", { token: ingest, body: numberedAlerts()(2) })).status).toBeLessThan(
      300,
    );
    expect(await raised()).toBe(1);
    const on = await request(a, "PATCH", `/api/rules/${FALCO_ALERT_RULE}`, {
      cookie: admin.cookie,
      body: { enabled: true },
    });
    expect(on.status, on.text).toBe(200);
    expect((await request(b, "POST", "/api/events", { token: ingest, body: numberedAlerts()(3) })).status).toBeLessThan(
      300,
    );
    expect(await raised()).toBe(2);

    // Signing out through B ends the session for A as well.
    expect((await request(b, "POST", "/api/auth/logout", { cookie: admin.cookie })).status).toBeLessThan(400);
    expect((await request(a, "GET", "/api/auth/me", { cookie: admin.cookie })).status).toBe(401);

    // Everything above, whichever instance served it, is in the one audit log.
    expect(await auditCount(url, "login", "admin")).toBe(1);
    expect(await auditCount(url, "login", "ana")).toBe(1);
    expect(await auditCount(url, "token.create")).toBe(1);
    expect(await auditCount(url, "token.revoke")).toBe(1);
    expect(await auditCount(url, "user.create")).toBe(2);
  });
});
