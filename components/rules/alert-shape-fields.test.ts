import { describe, expect, it } from "vitest";
import { RuleSchema } from "@/lib/rules/schema";
import { alertShapeDraft, alertShapePatch } from "./AlertShapeFields";

const rule = RuleSchema.parse({
  id: "promo",
  name: "Falco alert",
  description: "Promotes Falco's alerts.",
  type: "eql",
  query: 'any where event.kind == "alert"',
  severity: "medium",
  riskScore: 47,
  ruleNameOverride: "rule.name",
  riskScoreOverride: "event.risk_score",
  severityMapping: [{ field: "event.severity", value: "5", severity: "critical" }],
});

describe("the rule editor's alert name and severity fields", () => {
  it("starts from the rule and sends its settings back unchanged", () => {
    const draft = alertShapeDraft(rule);
    expect(draft).toEqual({
      ruleNameOverride: "rule.name",
      riskScoreOverride: "event.risk_score",
      severityMapping: [{ field: "event.severity", value: "5", severity: "critical" }],
      suppressGroupBy: "",
      suppressDuration: "",
      suppressMissing: "suppress",
    });
    expect(RuleSchema.parse({ ...rule, ...alertShapePatch(draft) })).toEqual({ ...rule, alertSuppression: null });
  });

  it("clears the overrides when their fields are emptied, and trims mapping fields", () => {
    const patch = alertShapePatch({
      ruleNameOverride: "  ",
      riskScoreOverride: " ",
      severityMapping: [{ field: " falco.priority ", value: "Notice", severity: "high" }],
      suppressGroupBy: "",
      suppressDuration: "",
      suppressMissing: "suppress",
    });
    expect(patch).toEqual({
      ruleNameOverride: null,
      riskScoreOverride: null,
      severityMapping: [{ field: "falco.priority", value: "Notice", severity: "high" }],
      alertSuppression: null,
    });
    expect(RuleSchema.safeParse({ ...rule, ...patch }).success).toBe(true);
  });

  it("leaves a bad field name for the server to name", () => {
    const patch = alertShapePatch({
      ruleNameOverride: "",
      riskScoreOverride: "",
      severityMapping: [{ field: "", value: "x", severity: "low" }],
      suppressGroupBy: "",
      suppressDuration: "",
      suppressMissing: "suppress",
    });
    const result = RuleSchema.safeParse({ ...rule, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["severityMapping", 0, "field"]);
  });

  it("reads and writes suppression: group-by fields, window and missing-field strategy", () => {
    const suppressed = {
      ...rule,
      alertSuppression: {
        groupBy: ["rule.name", "container.id"],
        duration: "5m",
        missingFieldsStrategy: "doNotSuppress" as const,
      },
    };
    const draft = alertShapeDraft(suppressed);
    expect(draft).toMatchObject({
      suppressGroupBy: "rule.name, container.id",
      suppressDuration: "5m",
      suppressMissing: "doNotSuppress",
    });
    expect(RuleSchema.parse({ ...rule, ...alertShapePatch(draft) })).toEqual(suppressed);
    const perUpload = alertShapePatch({ ...draft, suppressDuration: " " }).alertSuppression;
    expect(perUpload).toEqual({
      groupBy: ["rule.name", "container.id"],
      duration: null,
      missingFieldsStrategy: "doNotSuppress",
    });
    expect(RuleSchema.safeParse({ ...rule, ...alertShapePatch({ ...draft, suppressDuration: "soon" }) }).success).toBe(
      false,
    );
  });
});
