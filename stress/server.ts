/**
 * The real Keelwatch server as a child process for the stress suite: the
 * production build (`next start`, so `.next` must exist) on a free port of
 * its own and its own SQLite file, or a PostgreSQL database it may share with
 * other servers (stress/postgresql.ts). Started in its own process group so
 * SIGKILL takes every process `next start` may have spawned, like a power cut
 * would.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import Database from "better-sqlite3";
import { hashSecret } from "@/lib/auth/secrets";
import { applyMigrations } from "@/lib/db/migrate";
import { nextStartCommand, serverEnv } from "../scripts/lib/next-server.mjs";

export const ROOT = path.resolve(import.meta.dirname, "..");
/** Start-up on a loaded 2-core machine (migrations, built-in rules) can take a while. */
const START_TIMEOUT_MS = 90_000;

/**
 * Ports a stress server without a fixed `port` takes: the first free one of this range, `from-to`, so two runs (or a
 * run and someone's dev server) on one machine do not collide. KEELWATCH_STRESS_PORTS overrides it.
 */
export const DEFAULT_STRESS_PORTS = "3600-3699";

export interface ServerOptions {
  /** A fixed port; without one, start() takes a free port of KEELWATCH_STRESS_PORTS (see DEFAULT_STRESS_PORTS). */
  port?: number;
  /** The SQLite file to serve; a `DATABASE_URL` in `env` (PostgreSQL) takes its place. */
  dbFile?: string;
  /** Wrap the command, e.g. to set a resource limit: receives the argv, returns the argv to spawn. */
  wrap?: (argv: string[]) => string[];
  env?: Record<string, string | undefined>;
  /** How long to wait for /api/health to answer 200 (default 90 s). */
  startTimeoutMs?: number;
}

export class KeelwatchServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The last lines the server printed, for failure messages. */
  readonly output: string[] = [];

  private chosenPort: number | null = null;

  constructor(readonly options: ServerOptions) {}

  /** The port it serves on: the fixed one, or the one the last start() took. */
  get port(): number {
    const port = this.options.port ?? this.chosenPort;
    if (port === null) throw new Error("the server has no port before its first start()");
    return port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error("the server is already running");
    // A restart keeps its port when it is still free, so clients that hold the address find it again.
    if (this.options.port === undefined) this.chosenPort = await freePort(this.chosenPort);
    // A server left over on this port would answer the health checks in this one's place.
    const leftover = await send("GET", `${this.baseUrl}/api/health`).catch(() => null);
    if (leftover) throw new Error(`port ${this.port} is already serving (status ${leftover.status})`);
    const { command: node, args: nextArgs } = nextStartCommand(this.port);
    const argv = [node, ...nextArgs, "-H", "127.0.0.1"];
    const [command, ...args] = this.options.wrap ? this.options.wrap(argv) : argv;
    if (!command) throw new Error("empty server command");
    const child = spawn(command, args, {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: serverEnv({
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
        ...(this.options.dbFile ? { DATABASE_URL: `file:${this.options.dbFile}` } : {}),
        ...this.options.env,
      }),
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.output.push(line);
      if (this.output.length > 200) this.output.splice(0, this.output.length - 200);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await this.waitUntilHealthy();
  }

  private async waitUntilHealthy(): Promise<void> {
    const timeout = this.options.startTimeoutMs ?? START_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) {
        throw new Error(`the server exited during start-up:\n${this.output.slice(-30).join("\n")}`);
      }
      // Next keeps running when instrumentation.ts throws, but every request then fails.
      if (this.output.some((line) => line.includes("error occurred while loading instrumentation hook"))) {
        throw new Error(`the server's start-up hook failed:\n${this.output.slice(-30).join("\n")}`);
      }
      try {
        const response = await send("GET", `${this.baseUrl}/api/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`the server did not become healthy in ${timeout} ms:\n${this.output.slice(-30).join("\n")}`);
  }

  /** SIGKILL to the whole process group: no shutdown hook runs, no transaction is finished. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await this.exited;
  }

  /** A polite stop (SIGTERM), falling back to SIGKILL. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    const stopped = await Promise.race([this.exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) await this.kill();
    this.child = null;
  }

  /**
   * SIGSTOP to the whole process group: the server freezes where it is (timers, requests, its background work) while
   * its connections stay open, as a machine that stalls would. resume() lets it go on.
   */
  pause(): void {
    this.signalGroup("SIGSTOP");
  }

  resume(): void {
    this.signalGroup("SIGCONT");
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid) throw new Error("the server is not running");
    process.kill(-pid, signal);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }
}

function portRange(spec: string): number[] {
  const match = /^(\d+)-(\d+)$/.exec(spec.trim());
  const [from, to] = match ? [Number(match[1]), Number(match[2])] : [0, -1];
  if (!match || from < 1024 || to > 65_535 || from > to) {
    throw new Error(`KEELWATCH_STRESS_PORTS must look like "3600-3699", got "${spec}"`);
  }
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** Ports handed out by this process: each server keeps its own, so two servers of one file never get the same one. */
const handedOut = new Set<number>();

/** A free port of KEELWATCH_STRESS_PORTS, `preferred` first when it is free. */
export async function freePort(preferred: number | null = null): Promise<number> {
  const range = portRange(process.env.KEELWATCH_STRESS_PORTS ?? DEFAULT_STRESS_PORTS);
  if (preferred !== null && (await portIsFree(preferred))) return preferred;
  for (const port of range) {
    if (handedOut.has(port)) continue;
    // Claimed before the check awaits, so servers starting at once never probe the same port; one found taken
    // stays claimed (something else holds it).
    handedOut.add(port);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${range[0]}-${range.at(-1)} (KEELWATCH_STRESS_PORTS)`);
}

/**
 * One HTTP request on a fresh connection. A server frozen by a synchronous
 * wait can close an idle keep-alive socket just as a pooled client reuses it;
 * a new connection per request keeps that race out of the results.
 */
export function send(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; body?: Buffer | string | AsyncIterable<Buffer> } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    const body = options.body;
    if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) request.end(body);
    // A body sent piece by piece (chunked), as slowly as its iterator yields.
    else Readable.from(body).on("error", reject).pipe(request);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A migrated database with one API token of `role`; returns the token to send as Bearer. */
export function prepareTestDatabase(dbFile: string, role = "admin"): string {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  applyMigrations(dbFile);
  return addApiToken(dbFile, role);
}

/** Stored as the app stores tokens (sha256 only), written straight into the file. */
export function addApiToken(dbFile: string, role: string): string {
  const token = `kw_${randomBytes(32).toString("base64url")}`;
  const db = new Database(dbFile);
  try {
    db.pragma("busy_timeout = 10000");
    db.prepare("INSERT INTO ApiToken (id, name, role, tokenHash, prefix, createdAt) VALUES (?, ?, ?, ?, ?, ?)").run(
      `stress-${randomBytes(8).toString("hex")}`,
      `stress ${role}`,
      role,
      hashSecret(token),
      token.slice(0, 9),
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
  return token;
}

/** Reads the database with a separate connection, the way an operator would inspect it afterwards. */
export function withDatabase<T>(dbFile: string, use: (db: Database.Database) => T): T {
  const db = new Database(dbFile);
  try {
    db.pragma("busy_timeout = 10000");
    return use(db);
  } finally {
    db.close();
  }
}
