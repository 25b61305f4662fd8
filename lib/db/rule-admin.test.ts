import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtinRulesDir } from "../rules/builtin";
import { loadBuiltinRules } from "../rules/load";
import { prisma } from "./client";
import {
  createRule,
  deleteRule,
  exportRules,
  getRule,
  importRules,
  listRules,
  type RuleActor,
  updateRule,
} from "./rule-admin";
import { setUpTestDatabase } from "./test-database-hooks";

setUpTestDatabase();

const actor: RuleActor = { id: null, label: "test", ip: null };
const fixtures = path.join(import.meta.dirname, "..", "rules", "fixtures");
const BUILTIN_NAMES = [
  "Datadog Workload Protection signal",
  "Falco alert",
  "Network utility executed in container",
  "Suspicious Interactive Shell Spawned From Inside A Container",
  "Suspicious Network Tool Launched Inside A Container",
  "Tetragon policy hit",
];

const customRule = (overrides: Record<string, unknown> = {}) => ({
  name: "Socat in container",
  description: "socat started inside a container.",
  type: "eql",
  query: 'process where process.name == "socat"',
  severity: "medium",
  riskScore: 40,
  tags: ["Domain: Container", "Custom"],
  triageSteps: ["Check the image"],
  ...overrides,
});

async function addAlert(ruleId: string, timestamp: Date) {
  await prisma().alert.create({
    data: {
      ruleId,
      ruleName: "x",
      severity: "medium",
      severityRank: 2,
      riskScore: 40,
      dedupKey: randomUUID(),
      timestamp,
    },
  });
}

async function auditActions(targetId: string): Promise<string[]> {
  const rows = await prisma().auditLog.findMany({ where: { targetId }, orderBy: { id: "asc" } });
  return rows.map((row) => row.action);
}

/** The built-in pack imported file by file, as `keelwatch rules import` would. */
async function importBuiltinFiles() {
  const reports = [];
  for (const rule of await loadBuiltinRules()) {
    const file = path.join(builtinRulesDir(), rule.id, "rule.toml");
    reports.push(await importRules(readFileSync(file, "utf8"), file, actor));
  }
  return reports;
}

describe("import", () => {
  it("imports the six built-in TOML files, then finds them unchanged", async () => {
    const first = await importBuiltinFiles();
    expect(first.map((r) => r.results.map((x) => x.status))).toEqual(BUILTIN_NAMES.map(() => ["created"]));
    expect((await listRules()).map((r) => r.name)).toEqual(BUILTIN_NAMES);
    const again = await importBuiltinFiles();
    expect(again.flatMap((r) => r.results.map((x) => x.status))).toEqual(BUILTIN_NAMES.map(() => "unchanged"));
    // The promotion settings came through the import (TOML → rule → database → rule).
    const falco = await getRule("4c50a75e-4bea-402d-87e3-3360cd924004");
    expect(falco?.rule.ruleNameOverride).toBe("rule.name");
    expect(falco?.rule.severityMapping).toHaveLength(8);
    expect(falco?.rule.severityMapping[0]).toEqual({ field: "event.severity", value: "7", severity: "critical" });
  });

  it("imports the Kibana fixture: one rule created, the rest refused with line and reason", async () => {
    const text = readFileSync(path.join(fixtures, "kibana-export.ndjson"), "utf8");
    const report = await importRules(text, "kibana-export.ndjson", actor);
    expect(report.format).toBe("kibana-ndjson");
    const byLine = report.results.map((r) => [r.line, r.status, r.code ?? null]);
    expect(byLine).toEqual([
      [1, "created", null],
      [2, "refused", "unsupported_rule"],
      [3, "refused", "invalid_rule"],
      [6, "refused", "invalid_rule"],
    ]);
    expect(report.results[1]?.reason).toMatch(/type "query" \(language "kuery"\) is not supported/);
    expect(report.results[2]).toMatchObject({ ruleId: "custom-eql-2", name: "Custom EQL Rule" });
    expect(report.results[2]?.reason).toMatch(/risk_score/);
    const created = await getRule("5f0a2c9e-3b7d-4c1e-9a6f-2d8e4b1c7a90");
    expect(created?.rule).toMatchObject({ enabled: false, version: 4, origin: "elastic", severity: "high" });
  });

  it("refuses a TOML file of another language and one with a bad query, at their place in the file", async () => {
    const kql = readFileSync(path.join(fixtures, "elastic-kql-rule.toml"), "utf8");
    const refused = await importRules(kql, "elastic-kql-rule.toml", actor);
    expect(refused.results).toEqual([
      expect.objectContaining({
        status: "refused",
        code: "unsupported_rule",
        name: "Interactive Process Launched In A Container",
      }),
    ]);
    expect(refused.results[0]?.line).toBeGreaterThan(1);

    const eql = readFileSync(path.join(fixtures, "elastic-eql-rule.toml"), "utf8");
    const broken = eql.replace(/query = '''\n?/, "query = '''\nprocess where (\n");
    const report = await importRules(broken, "broken.toml", actor);
    expect(report.results[0]).toMatchObject({ status: "refused", code: "invalid_query" });
    const queryLine = broken.split("\n").findIndex((line) => line.startsWith("query = '''")) + 1;
    expect(report.results[0]?.line).toBeGreaterThan(queryLine);
  });

  it("updates a rule whose content changed, keeping the old content as a version and the enabled choice", async () => {
    const id = "1a289854-5b78-49fe-9440-8a8096b1ab50";
    await updateRule(id, { enabled: false }, actor);
    const before = await getRule(id);
    const file = path.join(builtinRulesDir(), id, "rule.toml");
    const changed = readFileSync(file, "utf8").replace("risk_score = 47", "risk_score = 50");
    const report = await importRules(changed, file, actor);
    expect(report.results[0]?.status).toBe("updated");
    const after = await getRule(id);
    expect(after?.rule).toMatchObject({ riskScore: 50, enabled: false, version: (before?.rule.version ?? 0) + 1 });
    expect(after?.versions[0]).toMatchObject({ version: before?.rule.version });
    expect(after?.versions[0]?.rule.riskScore).toBe(47);
    // Restore the pack's text for the tests below.
    await importRules(readFileSync(file, "utf8"), file, actor);
    await updateRule(id, { enabled: true }, actor);
  });
});

describe("create, update, delete", () => {
  it("creates a custom rule with a generated id and audits it", async () => {
    const outcome = await createRule(customRule(), actor);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(outcome.value).toMatchObject({ origin: "custom", version: 1, enabled: true });
    expect(await auditActions(outcome.value.id)).toEqual(["rule.create"]);
    const taken = await createRule(customRule({ id: outcome.value.id }), actor);
    expect(taken).toMatchObject({ ok: false, status: 409 });
  });

  it("names every bad field, and places a bad query at its line and column", async () => {
    const fields = await createRule(customRule({ name: "", riskScore: 200 }), actor);
    expect(fields).toMatchObject({ ok: false, status: 400 });
    if (fields.ok) return;
    expect(fields.details?.map((d) => d.field).sort()).toEqual(["name", "riskScore"]);

    const query = await createRule(customRule({ query: 'process where\n  process.name == "a" and and' }), actor);
    expect(query).toMatchObject({ ok: false, status: 400 });
    if (query.ok) return;
    expect(query.details).toEqual([expect.objectContaining({ field: "query", line: 2, column: 27 })]);
    expect(query.message).toMatch(/query: line 2, column 27/);
  });

  it("keeps a version per edit, bumps the version, and does not version a toggle", async () => {
    const created = await createRule(customRule({ name: "Versioned" }), actor);
    if (!created.ok) throw new Error(created.message);
    const id = created.value.id;
    const edit = await updateRule(id, { severity: "high", riskScore: 73, tags: ["A"] }, actor);
    expect(edit).toMatchObject({ ok: true, value: { severity: "high", riskScore: 73, version: 2 } });
    await updateRule(id, { query: 'process where process.name == "nc"' }, actor);
    const toggled = await updateRule(id, { enabled: false }, actor);
    expect(toggled).toMatchObject({ ok: true, value: { enabled: false, version: 3 } });
    const noop = await updateRule(id, { severity: "high" }, actor);
    expect(noop).toMatchObject({ ok: true, value: { version: 3, enabled: false, tags: ["A"] } });

    const detail = await getRule(id);
    expect(detail?.versions.map((v) => [v.version, v.rule.severity, v.rule.query])).toEqual([
      [2, "high", 'process where process.name == "socat"'],
      [1, "medium", 'process where process.name == "socat"'],
    ]);
    expect(await auditActions(id)).toEqual(["rule.create", "rule.update", "rule.update", "rule.update"]);
  });

  it("refuses a bad patch, an unknown field, an unknown rule and a stale base version", async () => {
    const created = await createRule(customRule({ name: "Patched" }), actor);
    if (!created.ok) throw new Error(created.message);
    const id = created.value.id;
    const bad = await updateRule(id, { query: "process where (" }, actor);
    expect(bad).toMatchObject({ ok: false, status: 400, details: [{ field: "query", line: 1 }] });
    expect(await updateRule(id, { colour: "red" }, actor)).toMatchObject({ ok: false, status: 400 });
    expect(await updateRule("nope", { severity: "low" }, actor)).toMatchObject({ ok: false, status: 404 });
    await updateRule(id, { riskScore: 10 }, actor);
    expect(await updateRule(id, { riskScore: 11, baseVersion: 1 }, actor)).toMatchObject({ status: 409 });
    expect((await getRule(id))?.rule.riskScore).toBe(10);
  });

  it("edits a built-in rule but never deletes it", async () => {
    const id = "8d3d0794-c776-476b-8674-ee2e685f6470";
    await prisma().rule.update({ where: { id }, data: { builtin: true } });
    expect(await updateRule(id, { severity: "critical" }, actor)).toMatchObject({ ok: true });
    expect(await deleteRule(id, actor)).toMatchObject({ ok: false, status: 403, code: "builtin_rule" });
    expect(await prisma().rule.count({ where: { id } })).toBe(1);
  });

  it("deletes a custom rule; one with alerts only when forced", async () => {
    const created = await createRule(customRule({ name: "Doomed" }), actor);
    if (!created.ok) throw new Error(created.message);
    const id = created.value.id;
    await addAlert(id, new Date());
    expect(await deleteRule(id, actor)).toMatchObject({ ok: false, status: 409 });
    expect(await deleteRule(id, actor, { force: true })).toMatchObject({ ok: true, value: { alertsDeleted: 1 } });
    expect(await prisma().rule.count({ where: { id } })).toBe(0);
    expect(await auditActions(id)).toEqual(["rule.create", "rule.delete"]);
    expect(await deleteRule(id, actor)).toMatchObject({ status: 404 });
  });
});

describe("list", () => {
  it("counts alerts over 24 hours and 7 days per rule, with the last alert time", async () => {
    const created = await createRule(customRule({ name: "Counted" }), actor);
    if (!created.ok) throw new Error(created.message);
    const now = new Date("2026-06-01T12:00:00Z");
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    for (const h of [1, 2, 30, 100, 24 * 8]) await addAlert(created.value.id, hoursAgo(h));
    const [row] = await listRules({ q: "Counted" }, now);
    expect(row).toMatchObject({ alerts24h: 2, alerts7d: 4, lastAlertAt: hoursAgo(1) });
    const builtin = (await listRules({}, now)).find((r) => r.name === BUILTIN_NAMES[4]);
    expect(builtin).toMatchObject({ alerts24h: 0, alerts7d: 0, lastAlertAt: null });
    expect(builtin?.tactics.map((t) => t.id)).toContain("TA0007");
  });

  it("filters by text, severity, enabled, origin and whole tag", async () => {
    const names = async (filter: Parameters<typeof listRules>[0]) => (await listRules(filter)).map((r) => r.name);
    expect(await names({ q: "interactive shell" })).toEqual([BUILTIN_NAMES[3]]);
    expect(await names({ severity: "critical" })).toEqual([BUILTIN_NAMES[3]]);
    expect(await names({ enabled: false })).toContain("Process Started From Shared Memory Inside A Container");
    expect(await names({ origin: "datadog" })).toEqual([BUILTIN_NAMES[2]]);
    expect(await names({ tag: "Custom" })).toContain("Counted");
    expect(await names({ tag: "Custo" })).toEqual([]);
  });
});

describe("export", () => {
  beforeAll(async () => {
    const created = await createRule(
      customRule({
        name: "Exported with steps",
        guide: "## Guide\n\nRead it.",
        responseSteps: ["Kill the pod"],
        falsePositives: ["Debug pods"],
        references: ["https://example.com/ref"],
        tiebreakerField: "event.sequence",
      }),
      actor,
    );
    if (!created.ok) throw new Error(created.message);
  });

  it("round-trips every rule through NDJSON into an empty database, field for field", async () => {
    const before = await listRules();
    const details = await Promise.all(before.map(async (r) => (await getRule(r.id))?.rule));
    const ndjson = await exportRules();
    const lines = ndjson.trim().split("\n");
    expect(lines).toHaveLength(before.length + 1);
    expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({ exported_rules_count: before.length });

    // Same database: nothing to do.
    const same = await importRules(ndjson, "rules.ndjson", actor);
    expect(same.refused).toBe(0);
    expect(same.unchanged).toBe(before.length);

    await prisma().rule.deleteMany({});
    const fresh = await importRules(ndjson, "rules.ndjson", actor);
    expect(fresh.created).toBe(before.length);
    const after = await Promise.all(before.map(async (r) => (await getRule(r.id))?.rule));
    expect(after).toEqual(details);
  });
});
