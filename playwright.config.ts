import { defineConfig } from "@playwright/test";
import { E2E_DATABASE_URL } from "./e2e/database";
import { dialectName } from "./lib/db/dialect/name";

// Debian's chromium: Playwright cannot download its own browsers on this network.
const chromium = process.env.KEELWATCH_CHROMIUM ?? "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 3100);
/** The first admin's password on the throw-away end-to-end database. */
export const E2E_ADMIN_PASSWORD = "e2e-admin-password-0123";

export default defineConfig({
  testDir: "e2e",
  outputDir: ".cache/test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Generous waits, no retries: on a 2-core machine shared with other work a sign-in (password hashing, then the
  // first server render) took over the 5 s default, and 12 specs failed on that alone in a fresh clone's run
  // (load average 8-12). A wait that passes returns at once, so a quiet run is no slower.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `node scripts/e2e-server.mjs ${port}`,
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      // the SQLite file in .cache/e2e, or the run on PostgreSQL's database (e2e/database.ts)
      DATABASE_URL: E2E_DATABASE_URL,
      // PostgreSQL has no folder for a key file: every instance must be given the key (lib/notify/secret-box.ts)
      ...(dialectName(E2E_DATABASE_URL) === "postgresql" ? { KEELWATCH_SECRET_KEY: "e2e-postgresql-secret-key" } : {}),
      KEELWATCH_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      // low, so that e2e/hunt.spec.ts can reach the hunt's limit with a small upload
      KEELWATCH_HUNT_MAX_EVENTS: "1000",
    },
  },
});
