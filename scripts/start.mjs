// `npm start`: install what is missing, prepare the database, build if the
// sources changed, then serve on PORT (default 3000).
import { spawn } from "node:child_process";
import path from "node:path";
import { nextStartCommand, serverEnv } from "./lib/next-server.mjs";
import { buildIfNeeded, ensureInstalled, log, mustRun, root } from "./lib/setup.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = process.env.PORT ?? "3000";

ensureInstalled();
log("preparing the database");
mustRun(path.join(root, "bin", "keelwatch"), ["db", "migrate"], { env });
buildIfNeeded();

log(`serving Keelwatch on http://localhost:${port}`);
const { command, args } = nextStartCommand(port);
const server = spawn(command, args, {
  cwd: root,
  stdio: "inherit",
  env: serverEnv(env),
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
