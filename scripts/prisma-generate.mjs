// Generates the Prisma clients: lib/generated/prisma from prisma/schema.prisma (SQLite) and lib/generated/prisma-pg
// from prisma/postgresql/schema.prisma (PostgreSQL, derived from the first by scripts/pg-schema.mjs).
// The Prisma CLI tries to download a schema engine it does not need for `generate`;
// pointing it at /bin/true keeps generation offline (see shared stack notes).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { recordGeneratedSchema } from "./lib/setup.mjs";

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(path.join(root, "prisma", "schema.prisma"))) {
  console.log("prisma-generate: no prisma/schema.prisma yet, skipping");
  process.exit(0);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
  const result = spawnSync("npx", ["--no-install", "prisma", "generate", "--schema", schema], {
    cwd: root,
    stdio: "inherit",
    env,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
recordGeneratedSchema();
