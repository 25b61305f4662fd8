import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:stress`: fault and concurrency tests against the real server
 * (`next start` on the production build in .next) and real SQLite files, and
 * two servers on one PostgreSQL database (stress/pg-*.stress.ts). One file at
 * a time: each runs its own servers and the machine has 2 cores. The global
 * setup is the unit run's: the first file that needs PostgreSQL starts the
 * run's throw-away cluster (scripts/pg-cluster.mjs), the run's end stops it.
 */
export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["stress/**/*.stress.ts"],
    environment: "node",
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["default"],
    globalSetup: [path.join(import.meta.dirname, "vitest.global-setup.ts")],
  },
});
