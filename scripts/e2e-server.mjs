// Starts the app for the end-to-end tests on a fresh, empty database. The reset
// happens here, before the server opens the file: Playwright starts its web
// server before globalSetup runs, so resetting there would leave the server
// holding a deleted file while the specs seed a new one. On PostgreSQL
// (DATABASE_URL postgresql://…) the database is new already: scripts/e2e-postgresql.mjs
// made it in a throw-away cluster, and the SQLite run's folder is left alone.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { nextStartCommand, serverEnv } from "./lib/next-server.mjs";

const root = path.join(import.meta.dirname, "..");
if (process.env.DATABASE_URL?.startsWith("file:")) {
  const dir = path.join(root, ".cache", "e2e");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

const port = process.argv[2] ?? "3100";
const { command, args } = nextStartCommand(port);
const server = spawn(command, args, {
  cwd: root,
  stdio: "inherit",
  env: serverEnv(process.env),
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
