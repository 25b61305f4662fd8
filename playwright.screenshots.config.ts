import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * `npm run screenshots`: the documentation images (docs/images/*.png), taken
 * from the real app on the throw-away end-to-end database. Kept apart from
 * e2e/ so `npm test` never runs it.
 */
export default defineConfig({
  ...base,
  testDir: "scripts/screenshots",
  testMatch: "**/*.shot.ts",
  outputDir: ".cache/screenshot-results",
  use: { ...base.use, viewport: { width: 1280, height: 900 }, colorScheme: "light" },
});
