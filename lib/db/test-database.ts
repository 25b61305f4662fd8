import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "./migrate";

/** A migrated SQLite file in a fresh temporary folder, for integration tests. */
export function createTestDatabase(): { file: string; url: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-test-"));
  const file = path.join(dir, "test.db");
  applyMigrations(file);
  return { file, url: `file:${file}`, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
