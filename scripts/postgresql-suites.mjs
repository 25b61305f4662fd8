// The integration test files that run on PostgreSQL as well (issue 22): each uses setUpTestDatabase, which
// KEELWATCH_TEST_DATABASE=postgresql points at a database on a throw-away cluster (scripts/pg-cluster.mjs). The
// other files that use it test SQLite's own machinery (file locks, the writer thread, the block conversion).
// `npm test` runs this list after the SQLite run; `npm run test:postgresql` runs it alone.
import { spawnSync } from "node:child_process";
import path from "node:path";

export const POSTGRESQL_TEST_FILES = [
  "app/api/alerts/[id]/session/route.test.ts",
  "app/api/exceptions/route.test.ts",
  "app/api/notifications/notifications-route.test.ts",
  "app/api/rules/rules-route.test.ts",
  "app/api/system/storage/route.test.ts",
  "lib/auth/account-routes.test.ts",
  "lib/auth/login.test.ts",
  "lib/auth/route-coverage.test.ts",
  "lib/auth/user-admin.test.ts",
  "lib/cli/commands/demo.test.ts",
  "lib/cli/commands/hunt.test.ts",
  "lib/cli/commands/notify.test.ts",
  "lib/cli/commands/rules.test.ts",
  "lib/db/alert-detail.test.ts",
  "lib/db/builtin-rules-sync.test.ts",
  "lib/db/dashboard.test.ts",
  "lib/db/events/reader.test.ts",
  "lib/db/events/retention.test.ts",
  "lib/db/processes.test.ts",
  "lib/db/rule-admin.test.ts",
  "lib/db/upload-leases.test.ts",
  "lib/ingest/ingest.test.ts",
  "lib/ingest/sensor-alerts.test.ts",
  "lib/ingest/stream/push-stream.test.ts",
  "lib/notify/sender.test.ts",
];

export const POSTGRESQL_TEST_ENV = { KEELWATCH_TEST_DATABASE: "postgresql" };

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const root = path.resolve(import.meta.dirname, "..");
  const result = spawnSync(
    path.join(root, "node_modules", ".bin", "vitest"),
    ["run", ...POSTGRESQL_TEST_FILES, ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env: { ...process.env, ...POSTGRESQL_TEST_ENV } },
  );
  process.exit(result.status ?? 1);
}
