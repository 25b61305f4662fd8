import fs from "node:fs";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { issueApiToken } from "../../../auth/api-tokens";
import { hashSecret } from "../../../auth/secrets";
import { revokeApiToken } from "../../api-tokens";
import { closeBatchWriter } from "../../batch-writer";
import { prisma } from "../../client";
import { applyMigrations } from "../../migrate";
import { createTestDatabase } from "../../test-database";
import { closeHotReads, hotApiTokenByHash, hotSetting } from "./hot-reads";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  closeHotReads();
  await prisma().$disconnect();
  database.cleanup();
});

const PRISMA_FIELDS = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

describe("hot reads (SQLite)", () => {
  it("reads a token row exactly as Prisma reads it, dates included, and null for an unknown hash", async () => {
    const expiresAt = new Date("2031-02-03T04:05:06.789Z");
    const { id, token } = await issueApiToken({ name: "sensor", role: "ingest", expiresAt, createdById: null });
    await prisma().apiToken.update({ where: { id }, data: { lastUsedAt: new Date("2026-12-06T10:00:00.001Z") } });
    const viaPrisma = await prisma().apiToken.findUnique({ where: { id }, select: PRISMA_FIELDS });
    const hot = hotApiTokenByHash(hashSecret(token));
    expect(hot).toEqual(viaPrisma);
    expect(hot?.expiresAt?.toISOString()).toBe("2031-02-03T04:05:06.789Z");
    expect(hot?.revokedAt).toBeNull();
    expect(hotApiTokenByHash(hashSecret("kw_unknown"))).toBeNull();
  });

  it("sees a revocation committed through Prisma on the very next read (nothing is cached)", async () => {
    const { id, token } = await issueApiToken({
      name: "to-revoke",
      role: "ingest",
      expiresAt: null,
      createdById: null,
    });
    expect(hotApiTokenByHash(hashSecret(token))?.revokedAt).toBeNull();
    expect(await revokeApiToken(id)).toBe(true);
    expect(hotApiTokenByHash(hashSecret(token))?.revokedAt).toBeInstanceOf(Date);
  });

  it("reads settings as they are committed, and null for a missing key", async () => {
    await prisma().appSetting.upsert({
      where: { key: "test.hot" },
      create: { key: "test.hot", value: "1" },
      update: { value: "1" },
    });
    expect(hotSetting("test.hot")).toBe("1");
    await prisma().appSetting.update({ where: { key: "test.hot" }, data: { value: "2" } });
    expect(hotSetting("test.hot")).toBe("2");
    expect(hotSetting("test.missing")).toBeNull();
  });

  it("the detection counter moves when a rule changes, as the stream's context check expects", async () => {
    const before = hotSetting("detection.version");
    expect(typeof before).toBe("string");
    await prisma().rule.create({
      data: {
        id: "hot-reads-test",
        name: "t",
        description: "t",
        query: "process where true",
        severity: "low",
        riskScore: 1,
      },
    });
    const after = hotSetting("detection.version");
    expect(after).not.toBe(before);
    await prisma().rule.update({ where: { id: "hot-reads-test" }, data: { severity: "high" } });
    expect(hotSetting("detection.version")).not.toBe(after);
  });

  it("after closeBatchWriter (tests, before deleting their database), a database made anew at the same path is read anew", async () => {
    const other = createTestDatabase();
    const put = (value: string) => {
      const db = new Database(other.file);
      db.prepare(`INSERT INTO "AppSetting" ("key", "value", "updatedAt") VALUES ('test.same-path', ?, ?)`).run(
        value,
        new Date().toISOString(),
      );
      db.close();
    };
    try {
      process.env.DATABASE_URL = other.url;
      put("old");
      expect(hotSetting("test.same-path")).toBe("old");
      await closeBatchWriter();
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${other.file}${suffix}`, { force: true });
      applyMigrations(other.file);
      put("new");
      expect(hotSetting("test.same-path")).toBe("new");
    } finally {
      process.env.DATABASE_URL = database.url;
      other.cleanup();
    }
    expect(hotSetting("test.hot")).toBe("2");
  });
});
