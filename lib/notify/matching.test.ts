import { describe, expect, it } from "vitest";
import { globToRegExp, type MatchableRule, ruleMatches, throttleKeyOf } from "./matching";
import type { NotifiedAlert } from "./notified-alert";

const alert: NotifiedAlert = {
  id: "a1",
  url: "https://kw.example.org/alerts/a1",
  rule: { id: "rule-shell", name: "Interactive shell in container", tags: ["Domain: Container", "Tactic: Execution"] },
  severity: "high",
  riskScore: 73,
  status: "open",
  timestamp: "2026-11-23T08:00:00.000Z",
  container: { id: "c0ffee", name: "php-fpm", image: "registry.example.com/shop/storefront-php:3.8.2" },
  pod: { name: "storefront-web-6b8f9", namespace: "shop" },
  host: "node-7",
  process: { name: "sh", executable: "/bin/sh", commandLine: "sh -i" },
  user: "www-data",
  uploadId: "u1",
  sourceTokenId: "token-a",
};

const any: MatchableRule = {
  id: "n1",
  minSeverity: "low",
  detectionRules: [],
  tags: [],
  containerPattern: null,
  namespacePattern: null,
  sources: [],
};

describe("notification rule matching", () => {
  it("takes alerts of the rule's severity or above", () => {
    expect(ruleMatches({ ...any, minSeverity: "high" }, alert)).toBe(true);
    expect(ruleMatches({ ...any, minSeverity: "critical" }, alert)).toBe(false);
    expect(ruleMatches({ ...any, minSeverity: "medium" }, { ...alert, severity: "low" })).toBe(false);
  });

  it("names detection rules by id or name, and tags, case-insensitively", () => {
    expect(ruleMatches({ ...any, detectionRules: ["RULE-SHELL"] }, alert)).toBe(true);
    expect(ruleMatches({ ...any, detectionRules: ["interactive shell in container"] }, alert)).toBe(true);
    expect(ruleMatches({ ...any, detectionRules: ["other"] }, alert)).toBe(false);
    expect(ruleMatches({ ...any, tags: ["tactic: execution", "nope"] }, alert)).toBe(true);
    expect(ruleMatches({ ...any, tags: ["Tactic: Persistence"] }, alert)).toBe(false);
  });

  it("matches container name, id or image and the namespace against globs", () => {
    expect(ruleMatches({ ...any, containerPattern: "php-*" }, alert)).toBe(true);
    expect(ruleMatches({ ...any, containerPattern: "c0ff??" }, alert)).toBe(true);
    expect(ruleMatches({ ...any, containerPattern: "*/shop/storefront-*" }, alert)).toBe(true);
    expect(ruleMatches({ ...any, containerPattern: "php" }, alert)).toBe(false);
    expect(ruleMatches({ ...any, namespacePattern: "SHOP" }, alert)).toBe(true);
    expect(ruleMatches({ ...any, namespacePattern: "prod-*" }, alert)).toBe(false);
    expect(ruleMatches({ ...any, namespacePattern: "*" }, { ...alert, pod: { name: null, namespace: null } })).toBe(
      false,
    );
  });

  it("takes only the sensors a rule names, and never an alert from no sensor then", () => {
    expect(ruleMatches({ ...any, sources: ["token-a"] }, alert)).toBe(true);
    expect(ruleMatches({ ...any, sources: ["token-b"] }, alert)).toBe(false);
    expect(ruleMatches({ ...any, sources: ["token-a"] }, { ...alert, sourceTokenId: null })).toBe(false);
  });

  it("reads glob characters only as * and ?, the rest literally", () => {
    expect(globToRegExp("a.b(c)+").test("a.b(c)+")).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
    expect(globToRegExp("[x]").test("[x]")).toBe(true);
  });

  it("throttles per rule and container, else per host", () => {
    expect(throttleKeyOf("n1", alert)).toBe("n1|c0ffee");
    const hostOnly = { ...alert, container: { id: null, name: null, image: null } };
    expect(throttleKeyOf("n1", hostOnly)).toBe("n1|host:node-7");
  });
});
