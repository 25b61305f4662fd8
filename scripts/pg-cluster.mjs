// A throw-away PostgreSQL server for tests and benchmarks: Debian's postgresql package (installed with apt when
// missing, as Chromium is for the browser tests), a cluster made by initdb in a temporary folder, started by pg_ctl
// on a free port, and removed whole by stop(). Plain Node: scripts/test.mjs runs it before anything is compiled.
//
// initdb and postgres refuse to run as root, so as root (this project's machines and CI) they run as the `postgres`
// user the package creates, through runuser; as anyone else they run as that user.
//
// The server trades durability for speed (fsync off, no full-page writes): its data lives only as long as the test run.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const POSTGRES_ROOT = "/usr/lib/postgresql";
/** Ports tried in order unless KEELWATCH_PG_PORTS ("from-to") says otherwise. */
export const DEFAULT_PORTS = "5440-5499";

function log(message) {
  process.stderr.write(`[pg-cluster] ${message}\n`);
}

/** The newest installed PostgreSQL's bin folder (with initdb), or null. */
export function findPostgresBin(root = POSTGRES_ROOT) {
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && fs.existsSync(path.join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], "bin") : null;
}

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** Finds PostgreSQL's binaries, installing Debian's postgresql package (with pg_trgm's contrib) when missing. */
export function ensurePostgres() {
  const found = findPostgresBin();
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      `PostgreSQL is needed for these tests and was not found under ${POSTGRES_ROOT}. ` +
        "Install it (Debian/Ubuntu: `sudo apt-get install -y postgresql`).",
    );
  }
  log("installing PostgreSQL from Debian's packages (apt-get install postgresql)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-q"],
    ["install", "-y", "-q", "--no-install-recommends", "postgresql", "postgresql-contrib"],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status})`);
  }
  const bin = findPostgresBin();
  if (!bin) throw new Error(`apt-get installed postgresql but no initdb appeared under ${POSTGRES_ROOT}`);
  return bin;
}

/** Runs a PostgreSQL program as the user that may run it (see the top of this file). */
function runAs(bin, program, args, options = {}) {
  const command = path.join(bin, program);
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
}

function parsePorts(spec) {
  const match = /^(\d+)-(\d+)$/.exec(spec.trim());
  if (!match) throw new Error(`KEELWATCH_PG_PORTS must look like "5440-5449", got "${spec}"`);
  const [from, to] = [Number(match[1]), Number(match[2])];
  if (from > to || from < 1024 || to > 65535) throw new Error(`KEELWATCH_PG_PORTS "${spec}" is not a port range`);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Starts a fresh cluster. Returns its admin URL (database `postgres`), a way to make databases and stop().
 * `ownerPid` (default: this process) is the process whose end ends the cluster: a reaper watches it, so a test run
 * killed before its teardown (Ctrl-C twice, a timeout's SIGKILL) leaves no server behind.
 * @param {{ ports?: string, ownerPid?: number }} [options]
 */
export async function startCluster(options = {}) {
  const ports = parsePorts(options.ports ?? process.env.KEELWATCH_PG_PORTS ?? DEFAULT_PORTS);
  const bin = ensurePostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-pg-"));
  const data = path.join(dir, "data");
  if (isRoot()) execFileSync("chown", ["postgres:", dir]);
  fs.chmodSync(dir, 0o700);
  try {
    runAs(bin, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"]);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${error.stderr || error.message}`);
  }
  for (const port of ports) {
    if (!(await portIsFree(port))) continue;
    const settings = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
      "-c timezone=UTC",
    ].join(" ");
    try {
      // -w waits until the server accepts connections; a port taken meanwhile fails here and the next one is tried.
      runAs(bin, "pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
    } catch {
      continue;
    }
    startReaper(options.ownerPid ?? process.pid, { bin, dir, data });
    return clusterHandle({ bin, dir, data, port });
  }
  const serverLog = path.join(dir, "server.log");
  const tail = fs.existsSync(serverLog) ? fs.readFileSync(serverLog, "utf8").slice(-2000) : "(no server log)";
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error(`no PostgreSQL server could start on ports ${ports[0]}-${ports.at(-1)}:\n${tail}`);
}

/** @param {{ bin: string, dir: string, data: string, port: number }} cluster */
export function clusterHandle({ bin, dir, data, port }) {
  const urlOf = (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    bin,
    dir,
    data,
    port,
    url: urlOf("postgres"),
    urlOf,
    /** Creates an empty database (name: letters, digits, _) and returns its URL. */
    createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name "${name}"`);
      runAs(bin, "psql", [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
        "-c",
        `CREATE DATABASE "${name}"`,
      ]);
      return urlOf(name);
    },
    /** Stops the server at once (its data is thrown away) and removes the folder. */
    stop() {
      stopCluster({ bin, dir, data });
    },
  };
}

/** @param {{ bin: string, dir: string, data: string }} cluster */
export function stopCluster({ bin, dir, data }) {
  try {
    if (fs.existsSync(path.join(data, "postmaster.pid")))
      runAs(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A detached process that stops the cluster once `ownerPid` has ended (see startCluster). */
function startReaper(ownerPid, cluster) {
  const child = spawn(process.execPath, [import.meta.filename, "--reap", String(ownerPid), JSON.stringify(cluster)], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One cluster shared by every process of a test run: the first caller starts it and records it in `stateDir`, the
 * others (vitest's forks) find it there. A lock folder keeps two callers from starting one each. The run's global
 * teardown calls stopSharedCluster(stateDir); a run that needs no PostgreSQL starts none.
 * @param {string} stateDir
 */
export async function sharedCluster(stateDir) {
  const lock = path.join(stateDir, "lock");
  const state = path.join(stateDir, "cluster.json");
  for (let waited = 0; ; waited += 50) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      if (waited > 120_000) throw new Error(`waited 2 minutes for ${lock}: another process is starting PostgreSQL`);
      await sleep(50);
    }
  }
  try {
    if (fs.existsSync(state)) return clusterHandle(JSON.parse(fs.readFileSync(state, "utf8")));
    const owner = Number(process.env.KEELWATCH_PG_OWNER) || process.pid;
    const cluster = await startCluster({ ownerPid: owner });
    const { bin, dir, data, port } = cluster;
    fs.writeFileSync(state, JSON.stringify({ bin, dir, data, port }));
    return cluster;
  } finally {
    fs.rmdirSync(lock);
  }
}

/** Stops the cluster sharedCluster(stateDir) started, if it started one. */
export function stopSharedCluster(stateDir) {
  const state = path.join(stateDir, "cluster.json");
  if (!fs.existsSync(state)) return;
  stopCluster(JSON.parse(fs.readFileSync(state, "utf8")));
  fs.rmSync(state);
}

// `node scripts/pg-cluster.mjs`: starts a cluster, prints its URL and stops it on Ctrl-C (for trying things by hand).
// `--reap PID CLUSTER`: the reaper of startCluster, checking every second; it ends by itself once the cluster is gone.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  if (process.argv[2] === "--reap") {
    const ownerPid = Number(process.argv[3]);
    const cluster = JSON.parse(process.argv[4] ?? "{}");
    const timer = setInterval(() => {
      if (!fs.existsSync(cluster.dir)) {
        clearInterval(timer);
      } else if (!alive(ownerPid)) {
        clearInterval(timer);
        stopCluster(cluster);
      }
    }, 1_000);
  } else {
    const cluster = await startCluster();
    process.stdout.write(`${cluster.url}\n`);
    const stop = () => {
      cluster.stop();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    setInterval(() => {}, 1 << 30);
  }
}
