import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { nextStartCommand, serverEnv } from "./next-server.mjs";

describe("the production server command", () => {
  it("runs next start in a node that lifts the 5-minute request timeout to an hour", () => {
    const { command, args } = nextStartCommand(3999, {});
    expect(command).toBe(process.execPath);
    expect(args.slice(-3)).toEqual(["start", "-p", "3999"]);
    const preload = args.indexOf("--import");
    expect(fs.existsSync(args[preload + 1] as string) && fs.existsSync(args[preload + 2] as string)).toBe(true);
    // The same preload, in a node that only creates a server the way Next does.
    const printed = execFileSync(
      command,
      [
        args[preload] as string,
        args[preload + 1] as string,
        "-e",
        'const s = require("node:http").createServer(() => {}); process.stdout.write(s.requestTimeout + " " + s.headersTimeout)',
      ],
      { encoding: "utf8" },
    );
    const [requestTimeout, headersTimeout] = printed.trim().split(" ").map(Number);
    expect(requestTimeout).toBe(60 * 60 * 1000);
    // headers must still arrive promptly
    expect(headersTimeout).toBeLessThanOrEqual(60_000);
  });

  it("caps the old space at 1 GB so the heap is collected before it grows far, unless NODE_OPTIONS says otherwise", () => {
    const { command, args } = nextStartCommand(3999, {});
    const flag = args.find((arg) => arg.startsWith("--max-old-space-size="));
    expect(flag).toBe("--max-old-space-size=1024");
    const limit = execFileSync(
      command,
      [flag as string, "-e", 'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit))'],
      { encoding: "utf8" },
    );
    // The limit covers the old space plus the young generation.
    expect(Number(limit) / 2 ** 20).toBeGreaterThanOrEqual(1024);
    expect(Number(limit) / 2 ** 20).toBeLessThan(1200);
    const own = nextStartCommand(3999, { NODE_OPTIONS: "--max-old-space-size=4096" });
    expect(own.args.some((arg) => arg.startsWith("--max-old-space-size"))).toBe(false);
  });

  it("halves V8's 16 MB semi-spaces, unless NODE_OPTIONS says otherwise", () => {
    const { command, args } = nextStartCommand(3999, {});
    const flags = args.filter((arg) => /^--max-(old|semi)-space-size=/.test(arg));
    expect(flags).toContain("--max-semi-space-size=8");
    // V8's heap limit is the old space plus three semi-spaces: 1024 + 3 x 8 MB.
    const limit = execFileSync(
      command,
      [...flags, "-e", 'process.stdout.write(String(require("node:v8").getHeapStatistics().heap_size_limit))'],
      { encoding: "utf8" },
    );
    expect(Number(limit) / 2 ** 20).toBe(1024 + 3 * 8);
    const own = nextStartCommand(3999, { NODE_OPTIONS: "--max-semi-space-size=32" });
    expect(own.args.some((arg) => arg.startsWith("--max-semi-space-size"))).toBe(false);
    expect(own.args).toContain("--max-old-space-size=1024");
  });

  it("starts the server with two malloc arenas, keeping the rest of the environment, unless MALLOC_ARENA_MAX is set", () => {
    const env = serverEnv({ PATH: "/usr/bin", DATABASE_URL: "file:x.db" });
    expect(env).toEqual({ PATH: "/usr/bin", DATABASE_URL: "file:x.db", MALLOC_ARENA_MAX: "2" });
    expect(serverEnv({ MALLOC_ARENA_MAX: "8" }).MALLOC_ARENA_MAX).toBe("8");
  });
});
