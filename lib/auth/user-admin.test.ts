import { beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../db/audit";
import { queryAudit } from "../db/audit-query";
import { prisma } from "../db/client";
import { findSession } from "../db/sessions";
import { setUpTestDatabase } from "../db/test-database-hooks";
import type { Actor } from "./admin-outcome";
import { checkLogin } from "./login";
import { hashSecret } from "./secrets";
import { principalFromSession, startSession } from "./sessions";
import { signedInUser } from "./test-helpers";
import { createToken, listTokens, revokeToken } from "./token-admin";
import { changeOwnPassword, createUserAccount, listUsers, updateUserAccount } from "./user-admin";

setUpTestDatabase();

type Signed = Awaited<ReturnType<typeof signedInUser>>;
function actorFor(signed: Signed): Actor {
  return {
    principal: { kind: "user", id: signed.user.id, username: signed.user.username, displayName: "", role: "admin" },
    ip: "10.1.1.1",
    sessionIdHash: hashSecret(signed.cookieValue),
  };
}

let root: Signed;
let rootActor: Actor;
beforeAll(async () => {
  root = await signedInUser("root", "admin");
  rootActor = actorFor(root);
});

describe("createUserAccount", () => {
  it("creates a user who can sign in, audits it, and never lists the hash", async () => {
    const created = await createUserAccount(rootActor, {
      username: "carol",
      displayName: "Carol",
      role: "analyst",
      password: "carol's long password",
    });
    expect(created).toMatchObject({ ok: true, value: { username: "carol", role: "analyst", disabled: false } });
    expect(await checkLogin("carol", "carol's long password", null)).toMatchObject({ ok: true });
    const listed = (await listUsers()).find((user) => user.username === "carol");
    expect(listed).toBeDefined();
    expect(Object.keys(listed ?? {})).not.toContain("passwordHash");
    const audit = await queryAudit({ action: "user.create", limit: 10 });
    expect(audit.entries[0]).toMatchObject({
      actorLabel: "root",
      actorId: root.user.id,
      targetType: "user",
      details: { username: "carol", role: "analyst" },
      ip: "10.1.1.1",
    });
  });

  it("refuses a taken username with a field error", async () => {
    const again = await createUserAccount(rootActor, {
      username: "carol",
      displayName: "Other",
      role: "viewer",
      password: "another long password",
    });
    expect(again).toMatchObject({
      ok: false,
      status: 409,
      code: "username_taken",
      details: [{ field: "username", message: "Already in use" }],
    });
  });
});

describe("updateUserAccount", () => {
  it("refuses to demote or disable the last active admin, and allows it once there is another", async () => {
    // root is the only admin in this file's database so far.
    const demote = await updateUserAccount(rootActor, root.user.id, { role: "analyst" });
    expect(demote).toMatchObject({ ok: false, status: 409, code: "last_admin" });
    const tokenActor: Actor = {
      principal: { kind: "token", id: "t", name: "ops", role: "admin" },
      ip: null,
      sessionIdHash: null,
    };
    const disable = await updateUserAccount(tokenActor, root.user.id, { disabled: true });
    expect(disable).toMatchObject({ ok: false, status: 409, code: "last_admin" });
    expect((await listUsers()).find((u) => u.id === root.user.id)).toMatchObject({ role: "admin", disabled: false });

    const second = await signedInUser("second-admin", "admin");
    const disabledAdmin = await signedInUser("dormant-admin", "admin");
    await updateUserAccount(rootActor, disabledAdmin.user.id, { disabled: true });
    // A disabled admin does not count: second-admin is now the other active one.
    const demoteSecond = await updateUserAccount(rootActor, second.user.id, { role: "viewer" });
    expect(demoteSecond).toMatchObject({ ok: true, value: { user: { role: "viewer" }, sessionsRevoked: 1 } });
    expect(await updateUserAccount(rootActor, root.user.id, { role: "viewer" })).toMatchObject({
      ok: false,
      code: "last_admin",
    });
  });

  it("two admins demoting each other at once: exactly one succeeds", async () => {
    const a = await signedInUser("duel-a", "admin");
    const b = await signedInUser("duel-b", "admin");
    // Leave only a and b as active admins.
    await updateUserAccount(actorFor(a), root.user.id, { role: "analyst" });
    const outcomes = await Promise.all([
      updateUserAccount(actorFor(a), b.user.id, { role: "viewer" }),
      updateUserAccount(actorFor(b), a.user.id, { role: "viewer" }),
    ]);
    expect(outcomes.map((o) => o.ok).sort()).toEqual([false, true]);
    expect(await prisma().user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    const survivor = outcomes[0]?.ok ? a : b;
    await updateUserAccount(actorFor(survivor), root.user.id, { role: "admin" });
  });

  it("an admin cannot disable their own account", async () => {
    expect(await updateUserAccount(rootActor, root.user.id, { disabled: true })).toMatchObject({
      ok: false,
      status: 409,
      code: "self_disable",
    });
  });

  it("disabling ends every session of that user and records what changed", async () => {
    const dan = await signedInUser("dan", "analyst");
    const otherSession = await startSession(dan.user.id, {});
    expect(await principalFromSession(dan.cookieValue)).not.toBeNull();
    const outcome = await updateUserAccount(rootActor, dan.user.id, { disabled: true });
    expect(outcome).toMatchObject({ ok: true, value: { sessionsRevoked: 2 } });
    expect(await principalFromSession(dan.cookieValue)).toBeNull();
    expect((await findSession(hashSecret(otherSession.cookieValue)))?.revokedAt).toBeInstanceOf(Date);
    const [entry] = (await queryAudit({ action: "user.update", limit: 1 })).entries;
    expect(entry).toMatchObject({
      targetId: dan.user.id,
      details: { username: "dan", changes: { disabled: { from: false, to: true } }, sessionsRevoked: 2 },
    });
    // Enabling again does not bring old sessions back.
    await updateUserAccount(rootActor, dan.user.id, { disabled: false });
    expect(await principalFromSession(dan.cookieValue)).toBeNull();
  });

  it("promotion and display-name changes keep sessions; a demotion or reset ends them", async () => {
    const eve = await signedInUser("eve", "viewer");
    expect(await updateUserAccount(rootActor, eve.user.id, { role: "analyst", displayName: "Eve E." })).toMatchObject({
      ok: true,
      value: { user: { role: "analyst", displayName: "Eve E." }, sessionsRevoked: 0 },
    });
    expect(await principalFromSession(eve.cookieValue)).toMatchObject({ role: "analyst", displayName: "Eve E." });
    expect(await updateUserAccount(rootActor, eve.user.id, { role: "viewer" })).toMatchObject({
      ok: true,
      value: { sessionsRevoked: 1 },
    });
    expect(await principalFromSession(eve.cookieValue)).toBeNull();
    const again = await startSession(eve.user.id, {});
    await updateUserAccount(rootActor, eve.user.id, { password: "a brand new password" });
    expect(await principalFromSession(again.cookieValue)).toBeNull();
    expect(await checkLogin("eve", "a brand new password", null)).toMatchObject({ ok: true });
    const [entry] = (await queryAudit({ action: "user.update", limit: 1 })).entries;
    expect(entry?.details).toMatchObject({ changes: { password: "reset" } });
    expect(JSON.stringify(entry)).not.toContain("a brand new password");
  });

  it("an admin resetting their own password keeps the session they are using", async () => {
    const self = await signedInUser("self-admin", "admin");
    const elsewhere = await startSession(self.user.id, {});
    const outcome = await updateUserAccount(actorFor(self), self.user.id, { password: "self chosen password" });
    expect(outcome).toMatchObject({ ok: true, value: { sessionsRevoked: 1 } });
    expect(await principalFromSession(self.cookieValue)).not.toBeNull();
    expect(await principalFromSession(elsewhere.cookieValue)).toBeNull();
  });

  it("answers 404 for an unknown id", async () => {
    expect(await updateUserAccount(rootActor, "nope", { role: "viewer" })).toMatchObject({ ok: false, status: 404 });
  });
});

describe("changeOwnPassword", () => {
  it("needs the current password, then ends every other session", async () => {
    const fay = await signedInUser("fay", "viewer", "fay's old password");
    const phone = await startSession(fay.user.id, {});
    const actor = { ...actorFor(fay), principal: { ...actorFor(fay).principal, role: "viewer" as const } };
    expect(
      await changeOwnPassword(actor, { currentPassword: "wrong one", newPassword: "fay's new password" }),
    ).toMatchObject({ ok: false, status: 400, details: [{ field: "currentPassword" }] });
    expect(await principalFromSession(phone.cookieValue)).not.toBeNull();
    expect(
      await changeOwnPassword(actor, { currentPassword: "fay's old password", newPassword: "fay's old password" }),
    ).toMatchObject({ ok: false, details: [{ field: "newPassword" }] });

    const done = await changeOwnPassword(actor, {
      currentPassword: "fay's old password",
      newPassword: "fay's new password",
    });
    expect(done).toEqual({ ok: true, value: { sessionsRevoked: 1 } });
    expect(await principalFromSession(fay.cookieValue)).not.toBeNull();
    expect(await principalFromSession(phone.cookieValue)).toBeNull();
    expect(await checkLogin("fay", "fay's old password", null)).toMatchObject({ ok: false });
    expect(await checkLogin("fay", "fay's new password", null)).toMatchObject({ ok: true });
    const actions = (await queryAudit({ actor: "fay", action: "account.", limit: 10 })).entries.map((e) => e.action);
    expect(actions).toEqual(["account.password_change", "account.password_change_failed"]);
  });

  it("refuses API tokens, which have no password", async () => {
    const outcome = await changeOwnPassword(
      { principal: { kind: "token", id: "t", name: "ci", role: "admin" }, ip: null, sessionIdHash: null },
      { currentPassword: "x", newPassword: "long enough password" },
    );
    expect(outcome).toMatchObject({ ok: false, status: 403 });
  });
});

describe("tokens", () => {
  it("creates a token whose secret is returned once, lists it without secrets, and revokes it", async () => {
    const created = await createToken(rootActor, { name: "ci-ingest", role: "ingest", expiresInDays: 30 });
    expect(created.token).toMatch(/^kw_/);
    const days = ((created.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const listed = (await listTokens()).find((token) => token.id === created.id);
    expect(listed).toMatchObject({ name: "ci-ingest", role: "ingest", createdBy: "root", status: "active" });
    expect(JSON.stringify(await listTokens())).not.toContain(created.token);
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashSecret(created.token));

    expect(await revokeToken(rootActor, created.id)).toMatchObject({ ok: true, value: { id: created.id } });
    expect(await revokeToken(rootActor, created.id)).toMatchObject({ ok: false, status: 409 });
    expect(await revokeToken(rootActor, "missing")).toMatchObject({ ok: false, status: 404 });
    expect((await listTokens()).find((token) => token.id === created.id)?.status).toBe("revoked");
    const actions = (await queryAudit({ action: "token.", limit: 10 })).entries.map((e) => e.action);
    expect(actions).toEqual(["token.revoke", "token.create"]);
  });

  it("a token without expiry never expires; a past expiry lists as expired", async () => {
    const forever = await createToken(rootActor, { name: "forever", role: "viewer" });
    expect(forever.expiresAt).toBeNull();
    const soon = await createToken(rootActor, { name: "soon", role: "viewer", expiresInDays: 1 });
    const later = Date.now() + 2 * 86_400_000;
    const statuses = Object.fromEntries((await listTokens(later)).map((t) => [t.name, t.status]));
    expect(statuses).toMatchObject({ forever: "active", soon: "expired" });
    expect(soon.token).not.toBe(forever.token);
  });
});

describe("queryAudit", () => {
  it("pages newest first by id and filters by actor and action family", async () => {
    for (let i = 0; i < 5; i++) {
      await appendAudit({ actorLabel: "pager", action: i % 2 ? "rule.update" : "rule.create", details: { i } });
    }
    const first = await queryAudit({ actor: "pager", limit: 2 });
    expect(first.entries.map((e) => e.details)).toEqual([{ i: 4 }, { i: 3 }]);
    expect(first.nextBefore).not.toBeNull();
    const second = await queryAudit({ actor: "pager", limit: 2, before: first.nextBefore ?? 0 });
    expect(second.entries.map((e) => e.details)).toEqual([{ i: 2 }, { i: 1 }]);
    const third = await queryAudit({ actor: "pager", limit: 2, before: second.nextBefore ?? 0 });
    expect(third).toMatchObject({ entries: [{ details: { i: 0 } }], nextBefore: null });
    expect((await queryAudit({ actor: "pager", action: "rule.update", limit: 10 })).entries).toHaveLength(2);
    expect((await queryAudit({ actor: "pager", action: "rule.", limit: 10 })).entries).toHaveLength(5);
    expect((await queryAudit({ actor: "pager", action: "rule", limit: 10 })).entries).toHaveLength(0);
  });
});
