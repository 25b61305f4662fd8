import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unwrapParagraphs } from "./elastic-fields";
import { parseElasticRuleToml } from "./elastic-toml";
import { RuleError, UnsupportedRuleError } from "./errors";

const fixtures = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");

function failure(source: string, file = "rule.toml"): RuleError {
  try {
    parseElasticRuleToml(source, file);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    return error as RuleError;
  }
  throw new Error("expected the file to be rejected");
}

/** A small valid EQL rule; tests change one line of it at a time. */
const baseRule = `[metadata]
creation_date = "2024/01/01"
maturity = "production"
updated_date = "2024/01/01"

[rule]
author = ["Keelwatch"]
description = "Test rule."
language = "eql"
name = "Test Rule"
risk_score = 21
rule_id = "test-rule"
severity = "low"
type = "eql"
query = '''
process where process.name == "nc"
'''
`;

describe("parseElasticRuleToml on an Elastic EQL rule file", () => {
  const parsed = parseElasticRuleToml(fixture("elastic-eql-rule.toml"), "elastic-eql-rule.toml");
  const { rule } = parsed;

  it("maps the [rule] keys to the Keelwatch model", () => {
    expect(rule).toMatchObject({
      id: "5f0a2c9e-3b7d-4c1e-9a6f-2d8e4b1c7a90",
      name: "Process Started From Shared Memory Inside A Container",
      type: "eql",
      severity: "high",
      riskScore: 63,
      interval: "10m",
      lookback: "now-9m",
      maxAlertsPerRun: 50,
      tags: ["Domain: Container", "OS: Linux", "Tactic: Execution"],
      references: ["https://example.org/shm-payloads"],
      authors: ["Elastic"],
      license: "Elastic License v2",
      tiebreakerField: "event.sequence",
      eventCategoryField: "event.category",
      timestampField: "@timestamp",
      origin: "elastic",
      enabled: true,
      version: 1,
    });
  });

  it("keeps the query string exactly, with the newline before the closing quotes", () => {
    expect(rule.query).toBe(
      'process where event.type == "start" and event.action == "exec" and\n  container.id != null and process.executable : "/dev/shm/*"\n',
    );
  });

  it("reads the note as the investigation guide", () => {
    expect(rule.guide).toMatch(/^## Triage and analysis\n\n### Investigating a process started from shared memory/);
  });

  it("unwraps Elastic's hard-wrapped description and false positives, keeping paragraphs", () => {
    expect(rule.description).toBe(
      "Detects a process started from /dev/shm inside a container. Shared memory is writable by every process and is a favourite place to drop payloads that should leave no trace on disk.\n\nLegitimate software seldom executes from there.",
    );
    expect(rule.falsePositives).toEqual([
      "Some database and browser sandboxes map executable code from shared memory; confirm the image before escalating.",
    ]);
  });

  it("reads tactics, techniques and sub-techniques", () => {
    expect(rule.threat).toEqual([
      {
        framework: "MITRE ATT&CK",
        tactic: { id: "TA0002", name: "Execution", reference: "https://attack.mitre.org/tactics/TA0002/" },
        technique: [
          {
            id: "T1059",
            name: "Command and Scripting Interpreter",
            reference: "https://attack.mitre.org/techniques/T1059/",
            subtechnique: [
              { id: "T1059.004", name: "Unix Shell", reference: "https://attack.mitre.org/techniques/T1059/004/" },
            ],
          },
        ],
      },
    ]);
  });

  it("returns metadata, index and where the query starts", () => {
    expect(parsed.metadata).toEqual({
      creationDate: "2024/02/07",
      updatedDate: "2025/06/30",
      maturity: "production",
      integration: ["cloud_defend"],
    });
    expect(parsed.index).toEqual(["logs-cloud_defend.process*"]);
    expect(parsed.queryStart).toEqual({ line: 44, column: 1 });
  });
});

describe("rules Keelwatch does not run", () => {
  it("refuses a KQL (type query, language kuery) rule with a typed error at the type key", () => {
    const error = failure(fixture("elastic-kql-rule.toml"), "elastic-kql-rule.toml");
    expect(error).toBeInstanceOf(UnsupportedRuleError);
    expect(error.code).toBe("unsupported_rule");
    expect(error.reason).toBe(
      'rule "Interactive Process Launched In A Container": type "query" (language "kuery") is not supported; Keelwatch runs EQL rules',
    );
    expect([error.file, error.line, error.column]).toEqual(["elastic-kql-rule.toml", 19, 1]);
  });

  it("refuses a threshold rule", () => {
    const error = failure(fixture("elastic-threshold-rule.toml"), "elastic-threshold-rule.toml");
    expect(error).toBeInstanceOf(UnsupportedRuleError);
    expect((error as UnsupportedRuleError).ruleType).toBe("threshold");
    expect(error.message).toBe(
      'elastic-threshold-rule.toml:18:1: rule "Burst Of Failed Logins": type "threshold" is not supported; Keelwatch runs EQL rules',
    );
  });

  it.each(["esql", "machine_learning", "new_terms", "threat_match", "saved_query"])("refuses type %s", (type) => {
    const error = failure(baseRule.replace('type = "eql"', `type = "${type}"`));
    expect(error).toBeInstanceOf(UnsupportedRuleError);
    expect(error.reason).toBe(`rule "Test Rule": type "${type}" is not supported; Keelwatch runs EQL rules`);
  });

  it("refuses an eql-typed rule written in another language", () => {
    const error = failure(baseRule.replace('language = "eql"', 'language = "kuery"'));
    expect(error.reason).toBe(
      'rule "Test Rule": language "kuery" is not supported for type "eql"; Keelwatch runs EQL rules',
    );
    expect(error.line).toBe(9);
  });
});

describe("syntax and field errors", () => {
  it("reports TOML syntax errors with file, line and column", () => {
    const error = failure(fixture("toml-syntax-error.toml"), "toml-syntax-error.toml");
    expect(error.code).toBe("toml_syntax");
    expect([error.file, error.line, error.column]).toEqual(["toml-syntax-error.toml", 6, 20]);
    expect(error.message).toMatch(/^toml-syntax-error\.toml:6:20: invalid TOML: /);
  });

  it("reports a redefined key at its line", () => {
    const error = failure(baseRule.replace('severity = "low"', 'severity = "low"\nseverity = "high"'));
    expect(error.code).toBe("toml_syntax");
    expect(error.line).toBe(14);
  });

  it("names bad fields by their TOML keys and points at the first", () => {
    const error = failure(baseRule.replace("risk_score = 21", 'risk_score = "21"').replace('"low"', '"severe"'));
    expect(error.code).toBe("invalid_rule");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(["rule.risk_score", "rule.severity"]);
    expect(error.message).toMatch(/rule\.risk_score: .*rule\.severity: |rule\.severity: .*rule\.risk_score: /);
    expect(error.line === 11 || error.line === 13).toBe(true);
  });

  it("names nested threat paths", () => {
    const source = `${baseRule}
[[rule.threat]]
framework = "MITRE ATT&CK"

[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "https://attack.mitre.org/tactics/TA0002/"

[[rule.threat.technique]]
id = "1059"
name = "Command and Scripting Interpreter"
reference = "https://attack.mitre.org/techniques/T1059/"
`;
    expect(failure(source).issues.map((issue) => issue.path)).toEqual(["rule.threat[0].technique[0].id"]);
  });

  it("reports a file without a [rule] table", () => {
    const error = failure('[metadata]\nmaturity = "production"\n');
    expect(error.issues).toEqual([{ path: "rule", message: "missing [rule] table" }]);
  });

  it("reports a missing rule_id and query", () => {
    const source = baseRule.replace('rule_id = "test-rule"\n', "").replace(/query = '''[\s\S]*'''\n/, "");
    expect(
      failure(source)
        .issues.map((issue) => issue.path)
        .sort(),
    ).toEqual(["rule.query", "rule.rule_id"]);
  });
});

describe("the [keelwatch] table", () => {
  it("supplies triage steps, response steps, false positives, origin and enabled", () => {
    const source = `${baseRule}
[keelwatch]
origin = "datadog"
enabled = false
triage_steps = ["First check.", "Second check."]
response_steps = ["Isolate."]
false_positives = ["A known job."]
`;
    const { rule } = parseElasticRuleToml(source);
    expect(rule).toMatchObject({
      origin: "datadog",
      enabled: false,
      triageSteps: ["First check.", "Second check."],
      responseSteps: ["Isolate."],
      falsePositives: ["A known job."],
    });
  });

  it("wins over Elastic's false_positives and is then named in errors", () => {
    const source = `${baseRule.replace('type = "eql"', 'type = "eql"\nfalse_positives = ["From Elastic."]')}
[keelwatch]
false_positives = ["From Keelwatch.", " "]
`;
    expect(failure(source).issues.map((issue) => issue.path)).toEqual(["keelwatch.false_positives[1]"]);
    const ok = source.replace(', " "', "");
    expect(parseElasticRuleToml(ok).rule.falsePositives).toEqual(["From Keelwatch."]);
  });

  it("rejects unknown keys, so a typo does not lose the checklist", () => {
    const error = failure(`${baseRule}\n[keelwatch]\ntriage_step = ["Oops."]\n`);
    expect(error.issues.map((issue) => issue.path)).toEqual(["keelwatch.triage_step"]);
    expect(error.line).toBe(20);
  });

  it("defaults origin from the author and disables deprecated rules", () => {
    expect(parseElasticRuleToml(baseRule).rule.origin).toBe("custom");
    expect(parseElasticRuleToml(baseRule.replace('["Keelwatch"]', '["Elastic"]')).rule.origin).toBe("elastic");
    const deprecated = parseElasticRuleToml(baseRule.replace('"production"', '"deprecated"')).rule;
    expect(deprecated.enabled).toBe(false);
  });
});

describe("guide override", () => {
  it("uses a guide given by the caller (guide.md) over rule.note", () => {
    const source = baseRule.replace('type = "eql"', 'type = "eql"\nnote = "From the note."');
    expect(parseElasticRuleToml(source).rule.guide).toBe("From the note.");
    expect(parseElasticRuleToml(source, "rule.toml", { guide: "# From guide.md\n" }).rule.guide).toBe(
      "# From guide.md\n",
    );
  });
});

describe("unwrapParagraphs", () => {
  it("joins wrapped lines and keeps blank-line breaks", () => {
    expect(unwrapParagraphs("\n  one\n  two\n\n  three\n")).toBe("one two\n\nthree");
  });
});

describe("promotion and suppression settings", () => {
  const withKeys = (extra: string) => baseRule.replace('severity = "low"\n', `severity = "low"\n${extra}`);
  const withTables = (tables: string) => `${baseRule}\n${tables}`;

  it("reads rule_name_override and every [[rule.severity_mapping]], a number value as its text", () => {
    const { rule } = parseElasticRuleToml(
      withTables(`[[rule.severity_mapping]]
field = "event.severity"
operator = "equals"
value = "7"
severity = "critical"
risk_score = 99

[[rule.severity_mapping]]
field = "falco.priority"
value = 3
severity = "high"
`),
    );
    expect(rule.severityMapping).toEqual([
      { field: "event.severity", value: "7", severity: "critical" },
      { field: "falco.priority", value: "3", severity: "high" },
    ]);
    expect(rule.ruleNameOverride).toBeUndefined();
    expect(parseElasticRuleToml(withKeys('rule_name_override = "rule.name"\n')).rule.ruleNameOverride).toBe(
      "rule.name",
    );
  });

  it("reads risk_score_mapping as the field whose number is the risk score, as Elastic writes it", () => {
    const mapped = parseElasticRuleToml(
      withTables(`[[rule.risk_score_mapping]]
field = "event.risk_score"
operator = "equals"
value = ""
`),
    );
    expect(mapped.rule.riskScoreOverride).toBe("event.risk_score");
    expect(parseElasticRuleToml(withKeys("risk_score_mapping = []\n")).rule.riskScoreOverride).toBeNull();
    expect(parseElasticRuleToml(baseRule).rule.riskScoreOverride).toBeUndefined();
    expect(
      failure(withKeys('risk_score_mapping = [{ field = "not a field!", operator = "equals", value = "" }]\n')).message,
    ).toMatch(/rule\.risk_score_mapping/);
  });

  it("defaults to no mapping, no override and no suppression", () => {
    const { rule } = parseElasticRuleToml(baseRule);
    expect(rule.severityMapping).toEqual([]);
    expect(rule.ruleNameOverride).toBeUndefined();
    expect(rule.alertSuppression).toBeUndefined();
  });

  it("names the file and the bad key of a mapping entry", () => {
    const badSeverity = failure(
      withTables(`[[rule.severity_mapping]]
field = "event.severity"
value = "7"
severity = "urgent"
`),
    );
    expect(badSeverity.message).toMatch(/rule\.severity_mapping\[0\]\.severity/);
    expect(badSeverity.message).toMatch(/^rule\.toml: /);
    const badOperator = failure(
      withTables(`[[rule.severity_mapping]]
field = "event.severity"
operator = "not_equals"
value = "7"
severity = "high"
`),
    );
    expect(badOperator.message).toMatch(/rule\.severity_mapping\[0\]\.operator: expected "equals"/);
    expect(failure(withKeys('rule_name_override = "not a field!"\n')).message).toMatch(/rule\.rule_name_override/);
  });

  it("reads [rule.alert_suppression] with Elastic's {value, unit} duration", () => {
    const { rule } = parseElasticRuleToml(
      withTables(`[rule.alert_suppression]
group_by = ["rule.name", "container.id"]
missing_fields_strategy = "doNotSuppress"

[rule.alert_suppression.duration]
unit = "m"
value = 5
`),
    );
    expect(rule.alertSuppression).toEqual({
      groupBy: ["rule.name", "container.id"],
      duration: "5m",
      missingFieldsStrategy: "doNotSuppress",
    });
    const perRun = parseElasticRuleToml(withTables(`[rule.alert_suppression]\ngroup_by = ["host.name"]\n`)).rule;
    expect(perRun.alertSuppression).toEqual({
      groupBy: ["host.name"],
      duration: null,
      missingFieldsStrategy: "suppress",
    });
    expect(failure(withTables(`[rule.alert_suppression]\ngroup_by = []\n`)).message).toMatch(
      /rule\.alert_suppression\.groupBy: name at least one field/,
    );
  });
});
