import { describe, expect, it } from "vitest";
import { parseStatTicks, treeCpuSeconds } from "./cpu";

describe("CPU time of a process tree", () => {
  it("adds utime, stime, cutime and cstime, whatever the command name holds", () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const line = "4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 300 0 0 0 120 30 7 3 20 0 1 0 500 1000 50";
    expect(parseStatTicks(line)).toBe(160);
    expect(parseStatTicks("garbage")).toBeNull();
  });

  it("counts this process's own CPU time, which grows with work done", () => {
    const before = treeCpuSeconds(process.pid);
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);
    expect(treeCpuSeconds(process.pid)).toBeGreaterThan(before);
  });
});
