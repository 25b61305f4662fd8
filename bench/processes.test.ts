import { spawn } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFailure, processTree, runCommand } from "./processes";

const linux = fs.existsSync("/proc/self/status");
const MIB = 1024 ** 2;

describe.runIf(linux)("process measurements from /proc", () => {
  it("times a command, counts its output lines and sees its grandchild's peak memory", async () => {
    // The parent node stays small; its child fills 150 MiB and holds it long enough to be sampled.
    const grandchild = "const b = Buffer.alloc(150 * 1024 * 1024, 1); setTimeout(() => console.log(b[0]), 400);";
    const parent = `const { spawnSync } = require("node:child_process");
      const r = spawnSync(process.execPath, ["-e", ${JSON.stringify(grandchild)}], { encoding: "utf8" });
      process.stdout.write("a\\nb\\n" + r.stdout); process.stderr.write("done"); process.exit(3);`;
    const run = await runCommand(process.execPath, ["-e", parent], { cwd: process.cwd() });
    expect(run.code).toBe(3);
    expect(run.stdoutLines).toBe(3);
    expect(run.stderr).toBe("done");
    expect(run.millis).toBeGreaterThan(400);
    expect(run.peakRss).toBeGreaterThan(150 * MIB);
    expect(describeFailure(run)).toBe("exited 3: done");
    expect(describeFailure({ ...run, code: null, signal: "SIGKILL", stderr: "" })).toBe("was killed by SIGKILL");
  });

  it("lists a process and its descendants", async () => {
    // Its own process group, so the sleeps end with it.
    const child = spawn("sh", ["-c", "sleep 2 & sleep 2 & wait"], { stdio: "ignore", detached: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const tree = processTree(child.pid as number);
      expect(tree[0]).toBe(child.pid);
      expect(tree.length).toBe(3);
    } finally {
      process.kill(-(child.pid as number), "SIGKILL");
    }
  });
});
