import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "@/lib/eql";
import { parseElasticRuleToml } from "@/lib/rules/elastic-toml";

/** Every ```eql example in docs/rules.md must be a query lib/eql accepts; refused syntax is shown as ```text. */
const doc = readFileSync(path.join(import.meta.dirname, "rules.md"), "utf8");
const examples = [...doc.matchAll(/```eql\n([\s\S]*?)```/g)].map((match) => (match[1] as string).trim());

describe("docs/rules.md", () => {
  it("has EQL examples", () => {
    expect(examples.length).toBeGreaterThan(8);
  });

  for (const query of examples) {
    it(`compiles: ${query.split("\n")[0]}`, () => {
      expect(() => compile(query)).not.toThrow();
    });
  }

  it("shows a minimal rule file that the rule loader accepts", () => {
    const toml = /```toml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(toml).toBeDefined();
    const { rule } = parseElasticRuleToml(toml as string, "docs/rules.md");
    expect(() => compile(rule.query)).not.toThrow();
    expect(rule.name).toBe("Package manager run inside a running container");
    expect(rule.triageSteps).toHaveLength(2);
  });
});
