import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { prisma } from "../../db/client";
import { setUpTestDatabase } from "../../db/test-database-hooks";
import { builtinRulesDir } from "../../rules/builtin";
import type { CliIO } from "../io";
import { UsageError } from "../io";
import { rulesCommand } from "./rules";

const database = setUpTestDatabase();

const fixtures = path.join(import.meta.dirname, "..", "..", "rules", "fixtures");
const workspace = mkdtempSync(path.join(tmpdir(), "keelwatch-rules-cli-"));

async function runRules(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += chunk;
  });
  stderr.on("data", (chunk) => {
    err += chunk;
  });
  const io: CliIO = {
    stdin: Readable.from([]),
    stdout,
    stderr,
    env: { NODE_ENV: "test", DATABASE_URL: database.url },
    cwd: workspace,
  };
  const code = await rulesCommand.run(argv, io);
  return { code, out, err };
}

describe("keelwatch rules", () => {
  it("imports the built-in pack from a folder, one line per rule", async () => {
    cpSync(builtinRulesDir(), path.join(workspace, "pack"), { recursive: true });
    const { code, out, err } = await runRules(["import", "pack"]);
    expect(code).toBe(0);
    expect(
      out
        .trim()
        .split("\n")
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(["created", "created", "created", "created", "created", "created"]);
    expect(out).toContain("created    Suspicious Network Tool Launched Inside A Container (1a289854-");
    expect(out).toContain("created    Falco alert (4c50a75e-");
    expect(err).toBe("6 file(s): 6 created, 0 updated, 0 unchanged, 0 refused\n");
    // guide.md beside rule.toml is the rule's investigation guide.
    const guide = readFileSync(
      path.join(builtinRulesDir(), "1a289854-5b78-49fe-9440-8a8096b1ab50", "guide.md"),
      "utf8",
    );
    const stored = await prisma().rule.findUniqueOrThrow({ where: { id: "1a289854-5b78-49fe-9440-8a8096b1ab50" } });
    expect(stored.guide).toBe(guide);
  });

  it("reports refused rules with file and line, and exits 1", async () => {
    cpSync(path.join(fixtures, "kibana-export.ndjson"), path.join(workspace, "export.ndjson"));
    const { code, out } = await runRules(["import", "export.ndjson"]);
    expect(code).toBe(1);
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^created\s+Process Started From Shared Memory Inside A Container/);
    expect(lines[1]).toMatch(/^refused\s+export\.ndjson:2: rule "Custom KQL Rule": type "query"/);
    expect(lines).toHaveLength(4);
  });

  it("lists rules with their state and alert counts", async () => {
    const { code, out, err } = await runRules(["list"]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^ENABLED\s+SEVERITY\s+RISK\s+24H\s+7D\s+NAME\s+ID$/);
    expect(lines.find((line) => line.includes("Shared Memory"))).toMatch(/^no\s+high\s+63\s+0\s+0\s+/);
    expect(err).toBe("7 rule(s)\n");
    const json = await runRules(["list", "--json"]);
    expect(
      json.out
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).name),
    ).toHaveLength(7);
  });

  it("exports NDJSON to a file that imports back unchanged", async () => {
    const { code, err } = await runRules(["export", "--out", "all.ndjson"]);
    expect(code).toBe(0);
    expect(err).toBe("Exported 7 rule(s) to all.ndjson\n");
    const text = readFileSync(path.join(workspace, "all.ndjson"), "utf8");
    expect(text.trim().split("\n")).toHaveLength(8);
    const again = await runRules(["import", "all.ndjson"]);
    expect(again.code).toBe(0);
    expect(again.err).toBe("1 file(s): 0 created, 0 updated, 7 unchanged, 0 refused\n");
    const stdout = await runRules(["export"]);
    expect(stdout.out).toBe(text);
  });

  it("explains usage mistakes and missing files", async () => {
    await expect(runRules([])).rejects.toBeInstanceOf(UsageError);
    await expect(runRules(["import"])).rejects.toThrow(/needs a FILE/);
    await expect(runRules(["list", "extra"])).rejects.toBeInstanceOf(UsageError);
    const missing = await runRules(["import", "nope.toml"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nope\.toml: no such file/);
  });
});
