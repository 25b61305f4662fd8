import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stopSharedCluster } from "./scripts/pg-cluster.mjs";

/**
 * The test run's one PostgreSQL cluster: nothing is started here. The first test file that needs PostgreSQL starts
 * it (lib/db/dialect/postgresql/test-cluster.ts), the other files of the run share it through this folder, which
 * vitest's forks find in KEELWATCH_PG_SHARED, and it is stopped once the run ends.
 */
export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-pg-shared-"));
  process.env.KEELWATCH_PG_SHARED = dir;
  // The cluster outlives the fork that starts it; it ends with this process, whatever way it ends.
  process.env.KEELWATCH_PG_OWNER = String(process.pid);
  return () => {
    stopSharedCluster(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
