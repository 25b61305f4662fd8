import { describe, expect, it } from "vitest";
import { overriddenRiskScore, shapeAlert } from "./alert-shape";

describe("a rule's risk score override (Elastic's risk_score_mapping)", () => {
  it("takes the field's number from 0 to 100, whole; a numeric text counts; the first item of an array", () => {
    expect(overriddenRiskScore("event.risk_score", { event: { risk_score: 73 } }, 47)).toBe(73);
    expect(overriddenRiskScore("event.risk_score", { event: { risk_score: 99.6 } }, 47)).toBe(100);
    expect(overriddenRiskScore("event.risk_score", { event: { risk_score: "21" } }, 47)).toBe(21);
    expect(overriddenRiskScore("event.risk_score", { event: { risk_score: 0 } }, 47)).toBe(0);
    expect(overriddenRiskScore("sensor.scores", { sensor: { scores: [88, 12] } }, 47)).toBe(88);
  });

  it("keeps the rule's score when the event lacks the field or holds anything else", () => {
    for (const value of [undefined, null, "", "high", -1, 101, Number.NaN, true, { n: 5 }]) {
      expect(overriddenRiskScore("event.risk_score", { event: { risk_score: value } }, 47)).toBe(47);
    }
    expect(overriddenRiskScore(null, { event: { risk_score: 99 } }, 47)).toBe(47);
  });

  it("shapes name, severity and risk together, and a rule without a shape keeps its own", () => {
    const event = { rule: { name: "Terminal shell" }, event: { severity: 5, risk_score: 99 } };
    const rule = { name: "Falco alert", severity: "medium", riskScore: 47 };
    expect(shapeAlert(rule, event)).toEqual({ name: "Falco alert", severity: "medium", riskScore: 47 });
    const shaped = shapeAlert(
      {
        ...rule,
        alertShape: {
          ruleNameOverride: "rule.name",
          riskScoreOverride: "event.risk_score",
          severityMapping: [{ field: "event.severity", value: "5", severity: "critical" }],
          alertSuppression: null,
        },
      },
      event,
    );
    expect(shaped).toEqual({ name: "Terminal shell", severity: "critical", riskScore: 99 });
  });
});
