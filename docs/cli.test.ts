import { readFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "@/lib/cli/main";

/** docs/cli.md quotes every `keelwatch … --help` text verbatim; this keeps them in step. */
const CLI_DOC = path.join(import.meta.dirname, "cli.md");

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      stdout += String(chunk);
      done();
    },
  });
  const code = await main(argv, {
    stdin: new PassThrough(),
    stdout: sink,
    stderr: new PassThrough(),
    env: { ...process.env },
    cwd: process.cwd(),
  });
  return { code, stdout };
}

/** The command names `keelwatch --help` lists under "Commands:". */
function commandNames(overview: string): string[] {
  const after = overview.split("Commands:\n")[1] ?? "";
  return [...after.matchAll(/^ {2}(\S+)\s/gm)].map((match) => match[1] as string);
}

function missingFromDoc(help: string, doc: string): string | null {
  if (doc.includes(help.trimEnd())) return null;
  const firstMissingLine = help.split("\n").find((line) => line.trim() !== "" && !doc.includes(line));
  return firstMissingLine ?? "(the lines are all there, but not together in this order)";
}

describe("docs/cli.md", () => {
  const doc = readFileSync(CLI_DOC, "utf8");

  it("quotes `keelwatch --help` and every command's --help verbatim", async () => {
    const overview = await run(["--help"]);
    expect(overview.code).toBe(0);
    const names = commandNames(overview.stdout);
    expect(names).toContain("eql");
    const stale: string[] = [];
    const overviewGap = missingFromDoc(overview.stdout, doc);
    if (overviewGap) stale.push(`keelwatch --help: ${overviewGap}`);
    for (const name of names) {
      const help = await run([name, "--help"]);
      expect(help.code, `keelwatch ${name} --help`).toBe(0);
      const gap = missingFromDoc(help.stdout, doc);
      if (gap) stale.push(`keelwatch ${name} --help: ${gap}`);
      if (!doc.includes(`## keelwatch ${name}\n`)) stale.push(`no "## keelwatch ${name}" section`);
    }
    expect(stale, "update docs/cli.md with the current help text").toEqual([]);
  });

  it("notices a help text that changed", () => {
    expect(missingFromDoc("Usage: keelwatch frobnicate\n", doc)).toBe("Usage: keelwatch frobnicate");
  });
});
