/**
 * The real Keelwatch server for the HTTP measurements: `next start` from the
 * existing production build (.next), on its own port and its own database
 * file, with an API token created through the CLI as a script would.
 *
 * The bench does not build: `next build` shares .next with everyone working
 * in this tree, so build first (see the lock in the project notes) and the
 * bench refuses to start without a build.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { nextStartCommand, serverEnv } from "../scripts/lib/next-server.mjs";
import { currentRss, watchPeakRss } from "./processes";

const START_TIMEOUT_MS = 120_000;

export interface BenchServer {
  url: string;
  pid: number;
  /** Largest VmHWM in the server's process tree so far, bytes. */
  peakRss(): number;
  /** Resident set of the server's node process now, bytes. */
  rss(): number;
  /** Recent server output, for error messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Refuses early, with the fix, when there is no production build to serve. */
export function requireBuild(root: string): { builtAt: Date } {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) {
    throw new Error(
      "bench: no production build (.next/BUILD_ID); run `npx next build` first (under the e2e lock when others share this tree)",
    );
  }
  return { builtAt: fs.statSync(buildId).mtime };
}

/** A benchmark's fixed key: on PostgreSQL every process (CLI and each server) must encrypt with the same one. */
const BENCH_SECRET_KEY = "keelwatch-bench-secret-key-not-for-production";

/**
 * The environment that points a process at `database`: a SQLite file's path, or a `postgresql://` URL, which
 * also needs KEELWATCH_SECRET_KEY (lib/notify/secret-box.ts).
 */
export function databaseEnv(database: string): Record<string, string> {
  return /^postgres(ql)?:\/\//.test(database)
    ? { DATABASE_URL: database, KEELWATCH_SECRET_KEY: BENCH_SECRET_KEY }
    : { DATABASE_URL: `file:${database}` };
}

/** `keelwatch token create` against `database` (a SQLite file or a PostgreSQL URL; migrated if new); returns the token. */
export async function createApiToken(root: string, database: string, role: string): Promise<string> {
  const child = spawn(
    path.join(root, "bin", "keelwatch"),
    ["token", "create", "--name", `bench-${role}`, "--role", role],
    {
      cwd: root,
      env: { ...process.env, ...databaseEnv(database) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  const token = stdout.trim();
  if (code !== 0 || token === "") throw new Error(`bench: keelwatch token create exited ${code}: ${stderr.trim()}`);
  return token;
}

async function waitForHealth(url: string, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone !== null) throw new Error(`bench: the server exited before it was ready (${gone})`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`bench: the server at ${url} was not healthy within ${START_TIMEOUT_MS / 1000} s`);
}

/**
 * Starts `next start -p port` on `databaseFile` (a SQLite file, or a PostgreSQL URL) and waits for /api/health.
 * Uploads of any size are allowed: the default 2 GiB cap is below the 1M-event file.
 */
export async function startServer(options: {
  root: string;
  databaseFile: string;
  port: number;
  adminPassword?: string;
}): Promise<BenchServer> {
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await fetch(`${url}/api/health`);
    throw new Error(`bench: something already listens on port ${options.port}; set BENCH_PORT to a free port`);
  } catch (error) {
    if ((error as Error).message.startsWith("bench:")) throw error;
  }
  const { command, args } = nextStartCommand(options.port);
  const child = spawn(command, args, {
    cwd: options.root,
    env: serverEnv({
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...databaseEnv(options.databaseFile),
      KEELWATCH_MAX_UPLOAD_BYTES: String(2 ** 40),
      ...(options.adminPassword ? { KEELWATCH_ADMIN_PASSWORD: options.adminPassword } : {}),
    }),
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stop() ends next and its workers and nothing else.
    detached: true,
  });
  if (child.pid === undefined) throw new Error("bench: could not start next");
  const pid = child.pid;
  let log = "";
  const keep = (text: string) => {
    log = (log + text).slice(-16 * 1024);
  };
  child.stdout.setEncoding("utf8").on("data", keep);
  child.stderr.setEncoding("utf8").on("data", keep);
  let exit: string | null = null;
  const closed = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = `code ${code}, signal ${signal}`;
      resolve();
    });
  });
  const watch = watchPeakRss(pid);
  const stop = async () => {
    watch.stop();
    if (exit === null) {
      process.kill(-pid, "SIGTERM");
      const timeout = setTimeout(() => {
        if (exit === null) process.kill(-pid, "SIGKILL");
      }, 10_000);
      await closed;
      clearTimeout(timeout);
    }
  };
  try {
    await waitForHealth(url, () => exit);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${log}`);
  }
  return { url, pid, peakRss: () => watch.peak(), rss: () => currentRss(pid), log: () => log, stop };
}
