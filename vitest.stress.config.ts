import { defineConfig } from "vitest/config";

/**
 * `npm run test:stress`: fault and concurrency tests against the real server
 * (`next start` on the production build in .next) and real SQLite files.
 * One file at a time: each runs its own server and the machine has 2 cores.
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
  },
});
