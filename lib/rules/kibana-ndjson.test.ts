import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UnsupportedRuleError } from "./errors";
import { parseKibanaRulesNdjson } from "./kibana-ndjson";

const exportText = readFileSync(path.join(import.meta.dirname, "fixtures", "kibana-export.ndjson"), "utf8");

describe("parseKibanaRulesNdjson", () => {
  const { rules, errors } = parseKibanaRulesNdjson(exportText, "export.ndjson");

  it("loads the EQL rule with Kibana's fields and its enabled flag", () => {
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      id: "5f0a2c9e-3b7d-4c1e-9a6f-2d8e4b1c7a90",
      name: "Process Started From Shared Memory Inside A Container",
      query: 'process where event.type == "start" and process.executable : "/dev/shm/*"\n',
      severity: "high",
      riskScore: 63,
      lookback: "now-9m",
      interval: "10m",
      maxAlertsPerRun: 50,
      enabled: false,
      version: 4,
      origin: "elastic",
      guide: "## Triage\n\nCheck the image.",
      falsePositives: ["Database sandboxes may map code from shared memory."],
      triageSteps: [],
    });
  });

  it("reports every rule it cannot take, with its line, and passes over lists, items and the summary", () => {
    expect(errors.map((error) => [error.line, error.code])).toEqual([
      [2, "unsupported_rule"],
      [3, "invalid_rule"],
      [6, "invalid_rule"],
    ]);
    expect(errors[0]).toBeInstanceOf(UnsupportedRuleError);
    expect(errors[0]?.message).toBe(
      'export.ndjson:2: rule "Custom KQL Rule": type "query" (language "kuery") is not supported; Keelwatch runs EQL rules',
    );
    expect(errors[1]?.issues).toEqual([{ path: "risk_score", message: expect.stringMatching(/100/) }]);
    expect(errors[2]?.reason).toMatch(/no rule_id/);
  });

  it("reports a line that is not JSON", () => {
    const result = parseKibanaRulesNdjson('\n{"rule_id": \n', "x.ndjson");
    expect(result.errors.map((error) => [error.line, error.code])).toEqual([[2, "invalid_rule"]]);
    expect(result.errors[0]?.reason).toMatch(/^not valid JSON/);
  });
});
