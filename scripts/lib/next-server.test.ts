import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { nextStartCommand } from "./next-server.mjs";

describe("the production server command", () => {
  it("runs next start in a node that lifts the 5-minute request timeout to an hour", () => {
    const { command, args } = nextStartCommand(3999);
    expect(command).toBe(process.execPath);
    expect(args.slice(-3)).toEqual(["start", "-p", "3999"]);
    expect(fs.existsSync(args[1] as string) && fs.existsSync(args[2] as string)).toBe(true);
    // The same preload, in a node that only creates a server the way Next does.
    const printed = execFileSync(
      command,
      [
        args[0] as string,
        args[1] as string,
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
});
