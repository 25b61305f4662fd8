import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../rules/load";
import { prisma } from "./client";
import { syncBuiltinRules } from "./rules";
import { setUpTestDatabase } from "./test-database-hooks";

/**
 * Loading the built-in pack when several instances start at once on one database (issue 22): each instance runs
 * syncBuiltinRules at start-up, here two at once on one database (SQLite, and PostgreSQL under
 * `npm run test:postgresql`). Two servers started together on a new PostgreSQL database once failed the second's
 * start-up on the Rule table's key (stress/pg-two-instances-pushes.stress.ts).
 */
setUpTestDatabase();

describe("built-in rules loaded by two instances at once", () => {
  it("inserts each rule once into an empty database and neither instance fails", async () => {
    const rules = await loadBuiltinRules();
    const [first, second] = await Promise.all([syncBuiltinRules(rules), syncBuiltinRules(rules)]);
    expect([...first.inserted, ...second.inserted].sort()).toEqual(rules.map((rule) => rule.id).sort());
    expect(await prisma().rule.count({ where: { builtin: true } })).toBe(rules.length);
  });

  it("moves every rule to a newer pack once, keeping the version before it once", async () => {
    const rules = await loadBuiltinRules();
    const newer = rules.map((rule) => ({
      ...rule,
      version: rule.version + 1,
      description: `${rule.description} (newer)`,
    }));
    await Promise.all([syncBuiltinRules(newer), syncBuiltinRules(newer)]);
    const stored = await prisma().rule.findMany({ select: { id: true, version: true, description: true } });
    expect(stored.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      newer
        .map((rule) => ({ id: rule.id, version: rule.version, description: rule.description }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    const kept = await prisma().ruleVersion.findMany({ select: { ruleId: true, version: true } });
    expect(kept.sort((a, b) => a.ruleId.localeCompare(b.ruleId))).toEqual(
      rules
        .map((rule) => ({ ruleId: rule.id, version: rule.version }))
        .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    );
  });
});
