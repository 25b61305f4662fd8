import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinRulesDir } from "./builtin";
import { loadBuiltinRules } from "./load";
import type { Rule } from "./schema";

/** Elastic's query for "Suspicious Network Tool Launched Inside A Container", as published. */
const NETWORK_TOOL_QUERY = `process where container.id: "*" and event.type== "start" and
(
(process.name: ("nc", "ncat", "nmap", "dig", "nslookup", "tcpdump", "tshark", "ngrep", "telnet", "mitmproxy", "socat", "zmap", "masscan", "zgrab")) or
/*account for tools that execute utilities as a subprocess, in this case the target utility name will appear as a process arg*/
(process.args: ("nc", "ncat", "nmap", "dig", "nslookup", "tcpdump", "tshark", "ngrep", "telnet", "mitmproxy", "socat", "zmap", "masscan", "zgrab"))
)`;

/** Elastic's query for "Suspicious Interactive Shell Spawned From Inside A Container", as published. */
const INTERACTIVE_SHELL_QUERY = `process where container.id: "*" and
event.type== "start" and

/*D4C consolidates closely spawned event.actions, this excludes end actions to only capture ongoing processes*/
event.action in ("fork", "exec") and event.action != "end"
 and process.entry_leader.same_as_process== false and
(
(process.executable: "*/*sh" and process.args: ("-i", "-it")) or
process.args: "*/*sh"
)`;

const NETWORK_TOOL = "Suspicious Network Tool Launched Inside A Container";
const INTERACTIVE_SHELL = "Suspicious Interactive Shell Spawned From Inside A Container";
const NETWORK_UTILITY = "Network utility executed in container";
const FALCO_ALERT = "Falco alert";
const TETRAGON_HIT = "Tetragon policy hit";
const DATADOG_SIGNAL = "Datadog Workload Protection signal";

let rules: Rule[];
const byName = (name: string): Rule => {
  const rule = rules.find((candidate) => candidate.name === name);
  if (!rule) throw new Error(`built-in rule "${name}" is missing`);
  return rule;
};

beforeAll(async () => {
  rules = await loadBuiltinRules();
});

/** The seed texts sit beside the project (../shared/seeds); KEELWATCH_SEEDS_DIR points elsewhere. */
const SEEDS_DIR =
  process.env.KEELWATCH_SEEDS_DIR ?? path.resolve(import.meta.dirname, "..", "..", "..", "shared", "seeds");

describe("the built-in pack", () => {
  it("resolves its folder from this module's location", () => {
    expect(builtinRulesDir()).toBe(path.join(import.meta.dirname, "builtin"));
    expect(builtinRulesDir("/elsewhere")).toBe(path.join(import.meta.dirname, "builtin"));
  });

  it("has exactly the three detection rules and the three promotion rules, sorted by name", () => {
    expect(rules.map((rule) => rule.name)).toEqual([
      DATADOG_SIGNAL,
      FALCO_ALERT,
      NETWORK_UTILITY,
      INTERACTIVE_SHELL,
      NETWORK_TOOL,
      TETRAGON_HIT,
    ]);
  });

  it("keeps each rule in a folder named by its id, with a guide.md", () => {
    const folders = readdirSync(builtinRulesDir(), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(rules.map((rule) => rule.id).sort());
    for (const rule of rules) {
      const guide = readFileSync(path.join(builtinRulesDir(), rule.id, "guide.md"), "utf8");
      expect(rule.guide).toBe(guide);
      expect(rule.guide.length).toBeGreaterThan(500);
    }
  });

  it("uses Elastic's own rule ids for the Elastic rules", () => {
    expect(byName(NETWORK_TOOL).id).toBe("1a289854-5b78-49fe-9440-8a8096b1ab50");
    expect(byName(INTERACTIVE_SHELL).id).toBe("8d3d0794-c776-476b-8674-ee2e685f6470");
  });

  it("keeps the two Elastic queries byte for byte", () => {
    expect(byName(NETWORK_TOOL).query).toBe(NETWORK_TOOL_QUERY);
    expect(byName(INTERACTIVE_SHELL).query).toBe(INTERACTIVE_SHELL_QUERY);
  });

  it.runIf(existsSync(SEEDS_DIR))("matches the seed texts, when the seeds are at hand", () => {
    const seeds = readdirSync(SEEDS_DIR).map((name) => readFileSync(path.join(SEEDS_DIR, name), "utf8"));
    for (const query of [NETWORK_TOOL_QUERY, INTERACTIVE_SHELL_QUERY]) {
      expect(seeds.some((seed) => seed.includes(`\n${query}\n\nFramework:`))).toBe(true);
    }
  });

  it("carries the seeds' settings for the Elastic rules", () => {
    const common = {
      type: "eql",
      interval: "5m",
      lookback: "now-6m",
      maxAlertsPerRun: 100,
      version: 3,
      authors: ["Elastic"],
      license: "Elastic License v2",
      origin: "elastic",
      enabled: true,
      references: [],
    };
    expect(byName(NETWORK_TOOL)).toMatchObject({ ...common, severity: "medium", riskScore: 47 });
    expect(byName(INTERACTIVE_SHELL)).toMatchObject({ ...common, severity: "high", riskScore: 73 });
    expect(byName(NETWORK_TOOL).tags).toEqual([
      "Data Source: Elastic Defend for Containers",
      "Domain: Container",
      "OS: Linux",
      "Use Case: Threat Detection",
      "Tactic: Discovery",
      "Tactic: Command and Control",
      "Tactic: Reconnaissance",
      "Resources: Investigation Guide",
    ]);
    expect(byName(INTERACTIVE_SHELL).tags).toContain("Tactic: Execution");
  });

  it("maps the seeds' tactics to ATT&CK", () => {
    const tactics = (rule: Rule) => rule.threat.map((entry) => `${entry.tactic.id} ${entry.tactic.name}`);
    expect(tactics(byName(NETWORK_TOOL))).toEqual([
      "TA0007 Discovery",
      "TA0011 Command and Control",
      "TA0043 Reconnaissance",
    ]);
    expect(tactics(byName(INTERACTIVE_SHELL))).toEqual(["TA0002 Execution"]);
    expect(byName(INTERACTIVE_SHELL).threat[0]?.technique?.[0]?.subtechnique?.[0]?.id).toBe("T1059.004");
  });

  it("gives every rule a triage checklist, response steps and false-positive notes", () => {
    for (const rule of rules) {
      expect(rule.triageSteps.length, rule.name).toBeGreaterThanOrEqual(5);
      expect(rule.responseSteps.length, rule.name).toBeGreaterThanOrEqual(4);
      expect(rule.falsePositives.length, rule.name).toBeGreaterThanOrEqual(2);
      expect(rule.description.length, rule.name).toBeGreaterThan(50);
    }
    expect(byName(NETWORK_UTILITY).triageSteps).toHaveLength(5);
  });

  it("credits the Datadog rule's idea to Datadog and runs it as EQL over enriched ancestry", () => {
    const rule = byName(NETWORK_UTILITY);
    expect(rule).toMatchObject({
      origin: "datadog",
      authors: ["Datadog"],
      type: "eql",
      severity: "medium",
      riskScore: 55,
      maxAlertsPerRun: 100,
    });
    expect(rule.query).toContain("keelwatch.process.ancestors.executable :");
    expect(rule.query).toContain('"/tmp/*"');
    expect(rule.query).not.toMatch(/"(curl|wget)"/);
    expect(rule.guide).toMatch(/curl and wget/);
  });

  it("promotes the sensors' own alerts, named after the sensor's rule", () => {
    for (const [name, module] of [
      [FALCO_ALERT, "falco"],
      [TETRAGON_HIT, "tetragon"],
      [DATADOG_SIGNAL, "datadog"],
    ] as const) {
      const rule = byName(name);
      expect(rule.query.trim(), name).toBe(`any where event.kind == "alert" and event.module == "${module}"`);
      expect(rule.ruleNameOverride, name).toBe("rule.name");
      expect(rule.enabled, name).toBe(true);
      expect(rule.tags, name).toContain("Rule Type: Promotion");
      expect(rule.alertSuppression, name).toEqual({
        groupBy: ["rule.name", "container.id", "process.command_line"],
        duration: "5m",
        missingFieldsStrategy: "suppress",
      });
    }
  });

  it("maps Falco's priorities to severities (via event.severity) and an enforced Tetragon action to high", () => {
    const falco = Object.fromEntries(byName(FALCO_ALERT).severityMapping.map((entry) => [entry.value, entry.severity]));
    expect(byName(FALCO_ALERT).severityMapping.every((entry) => entry.field === "event.severity")).toBe(true);
    expect(falco).toEqual({
      "7": "critical",
      "6": "critical",
      "5": "critical",
      "4": "high",
      "3": "high",
      "2": "medium",
      "1": "low",
      "0": "low",
    });
    expect(byName(TETRAGON_HIT).severityMapping).toEqual([{ field: "event.type", value: "denied", severity: "high" }]);
    expect(byName(DATADOG_SIGNAL).severityMapping).toEqual([]);
  });
});
