import { describe, expect, it } from "vitest";
import { prisma } from "../../db/client";
import { setUpTestDatabase } from "../../db/test-database-hooks";
import { runCli } from "../run-for-test";

const database = setUpTestDatabase();

function demo(argv: string[]) {
  return runCli(["demo", ...argv], database.url);
}

describe("keelwatch demo", () => {
  it("installs the built-in rules into a fresh database and loads the sample, once", async () => {
    expect(await prisma().rule.count()).toBe(0);
    const first = await demo(["--format", "tetragon"]);
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Loaded Sample incident \(Tetragon\): \d+ events, \d+ alerts\.\n/);
    expect(first.out).toContain("Suspicious Network Tool Launched Inside A Container");
    expect(first.out).toContain("Network utility executed in container");
    expect(await prisma().upload.count({ where: { sample: true, format: "tetragon" } })).toBe(1);
    const alerts = await prisma().alert.count();

    const second = await demo(["--format", "tetragon"]);
    expect(second.out).toBe("Sample incident (Tetragon) is already loaded: nothing was added.\n");
    expect(await prisma().alert.count()).toBe(alerts);
    expect(await prisma().upload.count()).toBe(1);
  });

  it("removes every sample with --remove, and says when there is none", async () => {
    const removed = await demo(["--remove"]);
    expect(removed.code).toBe(0);
    expect(removed.out).toMatch(/^Removed sample data: 1 upload\(s\), \d+ events, \d+ alerts\.\n$/);
    expect(await prisma().alert.count()).toBe(0);
    expect(await prisma().event.count()).toBe(0);
    expect((await demo(["--remove"])).out).toBe("No sample data to remove.\n");
    const audit = await prisma().auditLog.findMany({ where: { actorLabel: "cli" }, select: { action: true } });
    expect(audit.map((entry) => entry.action)).toEqual([
      "samples.load",
      "samples.load",
      "samples.remove",
      "samples.remove",
    ]);
  });

  it("refuses an unknown format with its usage", async () => {
    const result = await demo(["--format", "syslog"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("--format must be one of ecs, falco, tetragon, datadog");
  });
});
