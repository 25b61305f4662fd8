import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "lib/generated/**"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    pool: "forks",
    setupFiles: [path.join(import.meta.dirname, "vitest.setup.ts")],
    globalSetup: [path.join(import.meta.dirname, "vitest.global-setup.ts")],
  },
});
