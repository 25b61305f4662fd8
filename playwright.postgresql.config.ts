import { defineConfig } from "@playwright/test";
import { E2E_DATABASE_URL } from "./e2e/database";
import { dialectName } from "./lib/db/dialect/name";
import base from "./playwright.config";

/**
 * The browser flows that lean on storage, run a second time on PostgreSQL (issue 22): uploads and sensor pushes
 * through the COPY writer, the alert list's search, sorts and group counts (pg_trgm, the kept counts' triggers), the
 * alert page's optimistic edits, exceptions closing alerts, hunts and the session view over stored events, and the
 * notification outbox that claims rows with SKIP LOCKED. The whole suite runs on SQLite (playwright.config.ts);
 * these are what fits in about three minutes more of `npm test`.
 */
export const POSTGRESQL_E2E_SPECS = [
  "alert-detail.spec.ts",
  "alerts-list.spec.ts",
  "exceptions.spec.ts",
  "hunt.spec.ts",
  "notifications.spec.ts",
  "session-view.spec.ts",
  "sources.spec.ts",
  "uploads.spec.ts",
];

if (dialectName(E2E_DATABASE_URL) !== "postgresql") {
  throw new Error(
    `playwright.postgresql.config.ts needs E2E_DATABASE_URL to name a PostgreSQL database, got "${E2E_DATABASE_URL}": ` +
      "run `npm run test:e2e:postgresql`, which starts a throw-away cluster and sets it",
  );
}

export default defineConfig({
  ...base,
  testMatch: POSTGRESQL_E2E_SPECS,
  outputDir: ".cache/test-results-postgresql",
});
