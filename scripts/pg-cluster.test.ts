import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  findPostgresBin,
  type PostgresCluster,
  sharedCluster,
  startCluster,
  stopSharedCluster,
} from "./pg-cluster.mjs";

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("startCluster", () => {
  const started: PostgresCluster[] = [];
  afterAll(() => {
    for (const cluster of started) cluster.stop();
  });

  it("serves a fresh cluster in UTC with pg_trgm available, and stop() removes it whole", async () => {
    const cluster = await startCluster();
    started.push(cluster);
    const url = cluster.createDatabase("harness_check");
    expect(url).toBe(`postgresql://postgres@127.0.0.1:${cluster.port}/harness_check`);
    await query(url, "CREATE EXTENSION pg_trgm");
    const [row] = await query<{ tz: string; similar: number }>(
      url,
      "SELECT current_setting('TimeZone') AS tz, similarity('keelwatch', 'keelwatc') AS similar",
    );
    expect(row?.tz).toBe("UTC");
    expect(row?.similar).toBeGreaterThan(0.5);
    expect(fs.existsSync(path.join(cluster.data, "PG_VERSION"))).toBe(true);

    cluster.stop();
    expect(fs.existsSync(cluster.dir)).toBe(false);
    expect(await portAnswers(cluster.port)).toBe(false);
  });

  it("takes the next free port when the first one of the range is taken", async () => {
    const first = await startCluster();
    started.push(first);
    const second = await startCluster({ ports: `${first.port}-${first.port + 9}` });
    started.push(second);
    expect(second.port).toBeGreaterThan(first.port);
    expect(await query<{ one: number }>(second.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("refuses a malformed port range", async () => {
    await expect(startCluster({ ports: "5440" })).rejects.toThrow(/KEELWATCH_PG_PORTS/);
  });
});

describe("the reaper", () => {
  it("stops a cluster whose owner was killed before it could stop it", async () => {
    // A process that starts a cluster, prints it and waits to be killed, as a test run killed mid-way would.
    const script = `
      const { startCluster } = await import(${JSON.stringify(path.join(import.meta.dirname, "pg-cluster.mjs"))});
      const cluster = await startCluster();
      console.log(JSON.stringify({ dir: cluster.dir, port: cluster.port }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const started = await new Promise<{ dir: string; port: number }>((resolve, reject) => {
      child.stdout.once("data", (chunk) => resolve(JSON.parse(String(chunk))));
      child.once("exit", (code) => reject(new Error(`the owner exited (${code}) before starting a cluster`)));
    });
    expect(await portAnswers(started.port)).toBe(true);
    child.kill("SIGKILL");
    // The reaper checks every second; wait for the outcome, not for a time.
    for (let tries = 0; tries < 120 && fs.existsSync(started.dir); tries++)
      await new Promise((r) => setTimeout(r, 250));
    expect(fs.existsSync(started.dir)).toBe(false);
    expect(await portAnswers(started.port)).toBe(false);
  });
});

describe("findPostgresBin", () => {
  it("picks the newest installed version that has initdb", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-pg-root-"));
    try {
      for (const version of ["9", "15", "16"]) fs.mkdirSync(path.join(root, version, "bin"), { recursive: true });
      fs.writeFileSync(path.join(root, "9", "bin", "initdb"), "");
      fs.writeFileSync(path.join(root, "15", "bin", "initdb"), "");
      expect(findPostgresBin(root)).toBe(path.join(root, "15", "bin"));
      expect(findPostgresBin(path.join(root, "missing"))).toBeNull();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("sharedCluster", () => {
  it("starts one cluster for all callers of a run and stops it at the end", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-pg-state-"));
    try {
      const [a, b] = await Promise.all([sharedCluster(stateDir), sharedCluster(stateDir)]);
      expect(b.port).toBe(a.port);
      expect(b.dir).toBe(a.dir);
      const url = a.createDatabase("shared_check");
      expect(await query<{ db: string }>(url, "SELECT current_database() AS db")).toEqual([{ db: "shared_check" }]);
      stopSharedCluster(stateDir);
      expect(fs.existsSync(a.dir)).toBe(false);
      expect(await portAnswers(a.port)).toBe(false);
      // Nothing left to stop: a second teardown is harmless.
      stopSharedCluster(stateDir);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
