import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { CLI_DIR, cliBundle, freshBundle, staleInput } from "./build-cli.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("the CLI bundle", () => {
  it("is rebuilt when a source it was built from changes, and runs the CLI", { timeout: 120_000 }, async () => {
    // Other test files run bin/keelwatch meanwhile, and each may build and point the manifest at a bundle of its
    // own (seen once in a fresh clone's npm test: null here right after a build). What must hold: a bundle
    // built from the current sources is fresh, whichever build wrote the manifest last.
    let entry: string = await cliBundle();
    for (let tries = 0; freshBundle() === null && tries < 3; tries++) entry = await cliBundle();
    expect(entry.startsWith(CLI_DIR)).toBe(true);
    expect(freshBundle()).not.toBeNull();

    const manifest = JSON.parse(fs.readFileSync(path.join(CLI_DIR, "manifest.json"), "utf8"));
    const inputs = Object.keys(manifest.inputs);
    expect(inputs).toContain(path.join("lib", "cli", "main.ts"));
    expect(inputs).toContain(path.join("lib", "eql", "parser.ts"));
    expect(inputs).toContain("package-lock.json");
    expect(inputs.some((file) => file.startsWith("node_modules"))).toBe(false);

    // A changed source makes the build stale, and names the source. Checked on the manifest with a changed time
    // given for one file, not by touching the file: other test files run bin/keelwatch meanwhile, and a touched
    // source makes them build again, which raced with this check in a fresh clone's npm test.
    const source = path.join("lib", "cli", "io.ts");
    expect(staleInput(manifest)).toBeNull();
    const touched = (file: string) => (file === source ? manifest.inputs[file] + 5_000 : manifest.inputs[file]);
    expect(staleInput(manifest, touched)).toBe(source);
    const removed = (file: string) => (file === source ? -1 : manifest.inputs[file]);
    expect(staleInput(manifest, removed)).toBe(source);

    // The bundle alone is the whole program: packages come from node_modules, files beside the sources are found.
    const help = execFileSync(process.execPath, [entry, "--help"], { cwd: ROOT, encoding: "utf8" });
    expect(help).toMatch(/^Usage: keelwatch <command> \[options\]\n/);
    const alerts = execFileSync(
      process.execPath,
      [entry, "detect", "--events", path.join(ROOT, "e2e", "fixtures", "ecs-cloud-defend.ndjson")],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(alerts).toContain('"rule_name":"Suspicious Network Tool Launched Inside A Container"');
  });
});
