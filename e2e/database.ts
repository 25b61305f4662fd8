import path from "node:path";

/**
 * The database the end-to-end web server uses, for the specs that seed or read it directly. The SQLite run's file
 * lives in .cache/e2e (scripts/e2e-server.mjs empties that folder before the server starts); the run on PostgreSQL
 * (scripts/e2e-postgresql.mjs) names its throw-away database in E2E_DATABASE_URL, which playwright.config.ts hands
 * to the server as DATABASE_URL. createPrismaClient picks the dialect by the URL, so a spec seeds either one alike.
 */
export const E2E_SQLITE_FILE = path.join(import.meta.dirname, "..", ".cache", "e2e", "keelwatch-e2e.db");

export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL?.trim() || `file:${E2E_SQLITE_FILE}`;
