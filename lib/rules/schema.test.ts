import { describe, expect, it } from "vitest";
import { RuleError } from "./errors";
import { formatIssuePath, parseRule, type RuleInput, RuleSchema } from "./schema";

const minimal: RuleInput = {
  id: "5f0a2c9e-3b7d-4c1e-9a6f-2d8e4b1c7a90",
  name: "Shell In Container",
  description: "A shell started in a container.",
  type: "eql",
  query: 'process where process.name == "bash"',
  severity: "high",
  riskScore: 73,
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseRule(input);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    return [...(error as RuleError).issues];
  }
  throw new Error("expected the rule to be rejected");
}

describe("RuleSchema", () => {
  it("fills the defaults Elastic uses for EQL rules", () => {
    const rule = parseRule(minimal);
    expect(rule).toMatchObject({
      eventCategoryField: "event.category",
      timestampField: "@timestamp",
      interval: "5m",
      lookback: "now-6m",
      maxAlertsPerRun: 100,
      tags: [],
      threat: [],
      guide: "",
      triageSteps: [],
      origin: "custom",
      version: 1,
      enabled: true,
    });
    expect(rule.tiebreakerField).toBeUndefined();
    expect(rule.license).toBeUndefined();
  });

  it("keeps the query exactly as written, surrounding whitespace included", () => {
    const query = "\nprocess where true\n";
    expect(parseRule({ ...minimal, query }).query).toBe(query);
  });

  it("names the field of every problem", () => {
    const issues = issuesOf({ ...minimal, severity: "urgent", riskScore: 101, maxAlertsPerRun: 0 });
    expect(issues.map((issue) => issue.path).sort()).toEqual(["maxAlertsPerRun", "riskScore", "severity"]);
  });

  it("puts the field paths in the error message", () => {
    expect(() => parseRule({ ...minimal, riskScore: 47.5 })).toThrow(/rule "Shell In Container": riskScore: /);
  });

  it("names nested paths inside threat entries", () => {
    const issues = issuesOf({
      ...minimal,
      threat: [
        {
          framework: "MITRE ATT&CK",
          tactic: { id: "Execution", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
          technique: [{ id: "T1059", name: "Command and Scripting Interpreter", reference: "not a url" }],
        },
      ],
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      "threat[0].tactic.id",
      "threat[0].technique[0].reference",
    ]);
    expect(issues.find((issue) => issue.path === "threat[0].tactic.id")?.message).toMatch(/TA0002/);
  });

  it("reports missing required fields by name", () => {
    const { query: _query, name: _name, ...rest } = minimal;
    expect(
      issuesOf(rest)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(["name", "query"]);
  });

  it("accepts only EQL rules", () => {
    expect(issuesOf({ ...minimal, type: "query" }).map((issue) => issue.path)).toEqual(["type"]);
  });

  it("rejects a blank query and path-unsafe ids", () => {
    expect(issuesOf({ ...minimal, query: "  \n" }).map((issue) => issue.path)).toEqual(["query"]);
    expect(issuesOf({ ...minimal, id: "../etc" }).map((issue) => issue.path)).toEqual(["id"]);
  });

  it("checks interval and lookback shapes", () => {
    const issues = issuesOf({ ...minimal, interval: "five minutes", lookback: "6m" });
    expect(issues.map((issue) => issue.path).sort()).toEqual(["interval", "lookback"]);
  });

  it("gives types through z.infer that match what parse returns", () => {
    const rule = RuleSchema.parse({ ...minimal, origin: "datadog", triageSteps: ["Check the parent."] });
    const origin: "elastic" | "datadog" | "custom" = rule.origin;
    expect(origin).toBe("datadog");
    expect(rule.triageSteps).toEqual(["Check the parent."]);
  });
});

describe("formatIssuePath", () => {
  it("writes array indexes in brackets", () => {
    expect(formatIssuePath(["threat", 2, "technique", 0, "subtechnique", 1, "id"])).toBe(
      "threat[2].technique[0].subtechnique[1].id",
    );
    expect(formatIssuePath([])).toBe("(rule)");
  });
});
