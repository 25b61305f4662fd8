import { describe, expect, it } from "vitest";
import { prisma } from "../db/client";
import { setUpTestDatabase } from "../db/test-database-hooks";
import { checkLogin, LOCKOUT_MS, MAX_FAILED_LOGINS } from "./login";
import { signedInUser } from "./test-helpers";

/**
 * Lockout under attempts that arrive together, as a password-guessing script sends them to every instance behind
 * a load balancer. Runs on SQLite and on PostgreSQL (scripts/postgresql-suites.mjs).
 */
setUpTestDatabase();

const auditCount = (username: string, action: string) =>
  prisma().auditLog.count({ where: { actorLabel: username, action } });

describe("sign-in lockout with attempts at once", () => {
  it("checks no more than MAX_FAILED_LOGINS passwords of a burst, and then refuses the right one", async () => {
    await signedInUser("brute", "analyst", "the right password");
    const burst = await Promise.all(Array.from({ length: 14 }, () => checkLogin("brute", "a guess", "192.0.2.7")));
    const checked = await prisma().auditLog.findMany({ where: { actorLabel: "brute", action: "login.failed" } });
    // Every password checked leaves a "login.failed"; the others were turned away before scrypt ran.
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
    expect(burst.every((outcome) => !outcome.ok)).toBe(true);
    // The failure that used up the slots locked the account, and says so.
    expect(burst.filter((outcome) => !outcome.ok && outcome.reason === "locked").length).toBeGreaterThan(
      14 - checked.length,
    );
    expect(await auditCount("brute", "login.locked")).toBe(14 - checked.length);
    const right = await checkLogin("brute", "the right password", null);
    expect(right).toMatchObject({ ok: false, reason: "locked" });
    if (!right.ok && right.reason === "locked") {
      expect(right.retryAfterSeconds).toBeGreaterThan(LOCKOUT_MS / 1000 - 60);
      expect(right.retryAfterSeconds).toBeLessThanOrEqual(LOCKOUT_MS / 1000);
    }
    expect(await auditCount("brute", "login")).toBe(0);
  });

  it("refuses the right password that arrives in a burst of wrong ones once they lock the account", async () => {
    await signedInUser("mixed", "analyst", "the right password");
    const attempts = Array.from({ length: 12 }, (_, i) => (i === 11 ? "the right password" : "a guess"));
    const outcomes = await Promise.all(attempts.map((password) => checkLogin("mixed", password, null)));
    const user = await prisma().user.findUniqueOrThrow({ where: { username: "mixed" } });
    const signedIn = outcomes[11]?.ok === true;
    // Either the right password was checked before the lock (and then the account is open again, its slots given
    // back) or it was refused with the account locked: never signed in while the account stays locked.
    if (signedIn) expect(user.lockedUntil === null || user.lockedUntil.getTime() <= Date.now()).toBe(true);
    else expect(user.lockedUntil?.getTime() ?? 0).toBeGreaterThan(Date.now());
    expect(await auditCount("mixed", "login.failed")).toBeLessThanOrEqual(MAX_FAILED_LOGINS);
  });

  it("turns slots left taken by a process that died mid-attempt into a lock that ends", async () => {
    const { user } = await signedInUser("orphan", "viewer", "the right password");
    await prisma().user.update({ where: { id: user.id }, data: { failedLogins: MAX_FAILED_LOGINS } });
    expect(await checkLogin("orphan", "the right password", null)).toMatchObject({ ok: false, reason: "locked" });
    await prisma().user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1) } });
    expect(await checkLogin("orphan", "the right password", null)).toEqual({ ok: true, userId: user.id });
    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      failedLogins: 0,
      lockedUntil: null,
    });
  });

  it("gives the slots back after a right password", async () => {
    const { user } = await signedInUser("forgetful", "viewer", "the right password");
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
        expect(await checkLogin("forgetful", "oops", null)).toEqual({ ok: false, reason: "invalid" });
      }
      expect(await checkLogin("forgetful", "the right password", null)).toEqual({ ok: true, userId: user.id });
    }
  });
});
