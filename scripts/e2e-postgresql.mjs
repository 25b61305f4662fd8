// `npm run test:e2e:postgresql`: the storage-heavy end-to-end specs (playwright.postgresql.config.ts) against a real
// PostgreSQL. It starts a throw-away cluster (scripts/pg-cluster.mjs), makes an empty database, hands its URL to
// Playwright in E2E_DATABASE_URL (the web server serves it, the specs seed it; e2e/database.ts) and stops the cluster
// when Playwright ends. Arguments go to `playwright test` (a spec file, --reporter …). Serves the existing build,
// as `npm run test:e2e` does: run `npm run build` first.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { startCluster } from "./pg-cluster.mjs";

const root = path.resolve(import.meta.dirname, "..");

// A run killed before the end (Ctrl-C, a timeout) leaves no server: the cluster's reaper watches this process.
const cluster = await startCluster();
let status = 1;
try {
  const url = cluster.createDatabase("keelwatch_e2e");
  process.stderr.write(`[e2e-postgresql] serving ${url}\n`);
  const result = spawnSync(
    path.join(root, "node_modules", ".bin", "playwright"),
    ["test", "--config", "playwright.postgresql.config.ts", ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env: { ...process.env, E2E_DATABASE_URL: url } },
  );
  status = result.status ?? 1;
} finally {
  cluster.stop();
}
process.exit(status);
