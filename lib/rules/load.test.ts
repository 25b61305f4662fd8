import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RuleError, UnsupportedRuleError } from "./errors";
import { loadBuiltinRules, loadRuleFile, loadRulesFromDir, readRuleFile } from "./load";

const fixtures = path.join(import.meta.dirname, "fixtures");

function ruleToml(id: string, name: string, extra = ""): string {
  return `[metadata]
maturity = "production"

[rule]
author = ["Keelwatch"]
description = "Rule ${name}."
language = "eql"
name = "${name}"
risk_score = 21
rule_id = "${id}"
severity = "low"
type = "eql"
note = "Guide from the note."
query = '''
process where process.name == "nc"
'''
${extra}`;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keelwatch-rules-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const full = path.join(dir, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

describe("loadRuleFile", () => {
  it("loads an Elastic EQL rule file", async () => {
    const rule = await loadRuleFile(path.join(fixtures, "elastic-eql-rule.toml"));
    expect(rule.name).toBe("Process Started From Shared Memory Inside A Container");
  });

  it("takes guide.md beside rule.toml over rule.note", async () => {
    const file = write("a/rule.toml", ruleToml("a", "Alpha"));
    expect((await loadRuleFile(file)).guide).toBe("Guide from the note.");
    write("a/guide.md", "## From the guide file\n");
    expect((await loadRuleFile(file)).guide).toBe("## From the guide file\n");
  });

  it("reads guide.md only for rule.toml, not for other file names", async () => {
    const file = write("b/other.toml", ruleToml("b", "Beta"));
    write("b/guide.md", "not for other.toml");
    expect((await loadRuleFile(file)).guide).toBe("Guide from the note.");
  });

  it("throws a typed error naming the file when it cannot be read", async () => {
    const missing = path.join(dir, "nope.toml");
    await expect(loadRuleFile(missing)).rejects.toMatchObject({ code: "read", file: missing });
  });

  it("reports a TOML syntax error with the file path, line and column", async () => {
    const file = path.join(fixtures, "toml-syntax-error.toml");
    await expect(loadRuleFile(file)).rejects.toMatchObject({ code: "toml_syntax", file, line: 6, column: 20 });
  });

  it("runs the query validator and reports its error at the position in the file", async () => {
    const file = write("c/rule.toml", ruleToml("c", "Gamma"));
    const validateQuery = (query: string) => {
      if (query.includes('"nc"')) {
        throw Object.assign(new Error("line 1, column 30: bad value"), { line: 1, column: 30, reason: "bad value" });
      }
    };
    const error = await readRuleFile(file, { validateQuery }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuleError);
    expect(error).toMatchObject({ code: "invalid_query", file, line: 15, column: 30 });
    expect((error as RuleError).reason).toBe('rule "Gamma": invalid query: bad value');
  });

  it("maps a query error on a later query line and on a same-line query string", async () => {
    const multi = write(
      "d/rule.toml",
      ruleToml("d", "Delta").replace(
        "process where process.name == \"nc\"\n'''",
        "process where\n  process.name == \"nc\"\n'''",
      ),
    );
    const onLine2 = () => {
      throw Object.assign(new Error("x"), { line: 2, column: 3, reason: "x" });
    };
    await expect(readRuleFile(multi, { validateQuery: onLine2 })).rejects.toMatchObject({ line: 16, column: 3 });

    const single = write(
      "e/rule.toml",
      ruleToml("e", "Epsilon").replace(/query = '''[\s\S]*'''/, "query = 'process where true'"),
    );
    const onLine1 = () => {
      throw Object.assign(new Error("x"), { line: 1, column: 9, reason: "x" });
    };
    await expect(readRuleFile(single, { validateQuery: onLine1 })).rejects.toMatchObject({ line: 14, column: 18 });
  });
});

describe("loadRulesFromDir", () => {
  it("loads rules recursively, sorted by name, and returns errors beside them", async () => {
    write("z/rule.toml", ruleToml("z", "Zulu"));
    write("nested/deeper/m/rule.toml", ruleToml("m", "Mike"));
    write("a/rule.toml", ruleToml("a", "Alpha"));
    write("broken/rule.toml", 'name = "x\n');
    write("kql/rule.toml", readFileSync(path.join(fixtures, "elastic-kql-rule.toml"), "utf8"));
    write(".hidden/rule.toml", 'broken = "\n');
    write("notes.md", "not a rule");

    const { rules, errors } = await loadRulesFromDir(dir);
    expect(rules.map((rule) => rule.name)).toEqual(["Alpha", "Mike", "Zulu"]);
    expect(errors.map((error) => [path.relative(dir, error.file ?? ""), error.code])).toEqual([
      [path.join("broken", "rule.toml"), "toml_syntax"],
      [path.join("kql", "rule.toml"), "unsupported_rule"],
    ]);
    expect(errors[1]).toBeInstanceOf(UnsupportedRuleError);
  });

  it("refuses a second file with the same rule id", async () => {
    write("one/rule.toml", ruleToml("same-id", "First"));
    write("two/rule.toml", ruleToml("same-id", "Second"));
    const { rules, errors } = await loadRulesFromDir(dir);
    expect(rules.map((rule) => rule.name)).toEqual(["First"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("duplicate_rule");
    expect(errors[0]?.message).toContain(path.join("one", "rule.toml"));
  });

  it("throws a read error for a missing folder", async () => {
    await expect(loadRulesFromDir(path.join(dir, "missing"))).rejects.toMatchObject({ code: "read" });
  });
});

describe("loadBuiltinRules with a caller-supplied folder", () => {
  it("throws the first broken rule instead of skipping it", async () => {
    write("good/rule.toml", ruleToml("good", "Good"));
    write("bad/rule.toml", ruleToml("bad", "Bad").replace("risk_score = 21", "risk_score = 200"));
    await expect(loadBuiltinRules(dir)).rejects.toMatchObject({ code: "invalid_rule", line: 9 });
  });

  it("refuses an empty pack", async () => {
    await expect(loadBuiltinRules(dir)).rejects.toMatchObject({ code: "read" });
  });
});
