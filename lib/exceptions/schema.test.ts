import { describe, expect, it } from "vitest";
import { parseExceptionsNdjson, toNdjson } from "./ndjson";
import { prefillConditions } from "./prefill";
import { ExceptionConditionSchema, ExceptionItemInputSchema, issuePath, referencedListIds } from "./schema";
import { parseValueListText } from "./value-list";

function issues(input: unknown): string[] {
  const result = ExceptionItemInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`);
}

const valid = {
  name: "Backup job runs nc",
  scope: { ruleId: "rule-nc" },
  groups: [
    [
      { field: "process.name", operator: "is", value: "nc" },
      { field: "container.image.name", operator: "matches", value: "registry.local/backup:*" },
    ],
    [{ field: "user.name", operator: "is_one_of", values: ["backup", "svc"] }],
  ],
};

describe("ExceptionConditionSchema", () => {
  it("accepts each operator with its value shape", () => {
    const ok = [
      { field: "a.b", operator: "is", value: "x" },
      { field: "a.b", operator: "is_not", value: "x" },
      { field: "a.b", operator: "matches", value: "x*" },
      { field: "a.b", operator: "does_not_match", value: "x*" },
      { field: "a.b", operator: "is_one_of", values: ["x", "y"] },
      { field: "a.b", operator: "is_not_one_of", values: ["x"] },
      { field: "a.b", operator: "exists" },
      { field: "a.b", operator: "does_not_exist" },
      { field: "a.b", operator: "in_list", listId: "l1" },
      { field: "@timestamp", operator: "not_in_list", listId: "l1" },
    ];
    for (const condition of ok)
      expect(ExceptionConditionSchema.safeParse(condition).success, condition.operator).toBe(true);
  });

  it("refuses the wrong value shape, naming the field", () => {
    const bad: [unknown, string][] = [
      [{ field: "a", operator: "is" }, 'value: "is" needs a value'],
      [{ field: "a", operator: "is", value: "" }, 'value: "is" needs a value'],
      [{ field: "a", operator: "is", value: "x", values: ["y"] }, 'values: "is" takes no list of values'],
      [{ field: "a", operator: "is_one_of", values: [] }, 'values: "is one of" needs at least one value'],
      [{ field: "a", operator: "is_one_of", value: "x" }, 'value: "is one of" takes no single value'],
      [{ field: "a", operator: "exists", value: "x" }, 'value: "exists" takes no single value'],
      [{ field: "a", operator: "in_list" }, 'listId: "is in list" needs a value list'],
      [{ field: "a", operator: "matches", value: "x", listId: "l" }, 'listId: "matches" takes no value list'],
    ];
    for (const [condition, message] of bad) {
      const result = ExceptionConditionSchema.safeParse(condition);
      expect(result.success).toBe(false);
      if (!result.success) {
        expect(result.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`)).toContain(message);
      }
    }
  });

  it("refuses malformed field names", () => {
    for (const field of ["", "a..b", ".a", "a.", "a b", "a/b", "process.name!"]) {
      expect(ExceptionConditionSchema.safeParse({ field, operator: "exists" }).success, field).toBe(false);
    }
    expect(ExceptionConditionSchema.safeParse({ field: " process.name ", operator: "exists" }).data?.field).toBe(
      "process.name",
    );
  });

  it("refuses unknown operators", () => {
    expect(ExceptionConditionSchema.safeParse({ field: "a", operator: "contains", value: "x" }).success).toBe(false);
  });
});

describe("ExceptionItemInputSchema", () => {
  it("accepts a valid item", () => {
    expect(issues(valid)).toEqual([]);
    expect(issues({ ...valid, scope: { listId: "list-1" }, expiresAt: "2026-12-01T00:00:00Z" })).toEqual([]);
  });

  it("names the path of a bad condition", () => {
    const input = structuredClone(valid) as { groups: { field: string; operator: string; value?: string }[][] };
    (input.groups[1] as { field: string; operator: string }[])[0] = { field: "user.name", operator: "is" };
    expect(issues(input)).toEqual(['groups.1.0.value: "is" needs a value']);
  });

  it("needs at least one group, each with at least one condition", () => {
    expect(issues({ ...valid, groups: [] })).toEqual(["groups: An exception needs at least one condition group"]);
    expect(issues({ ...valid, groups: [[]] })).toEqual(["groups.0: Each group needs at least one condition"]);
  });

  it("needs a name and exactly one scope", () => {
    expect(issues({ ...valid, name: "  " })).toEqual(["name: Name is required"]);
    expect(issues({ ...valid, scope: {} }).length).toBeGreaterThan(0);
    expect(issues({ ...valid, scope: { ruleId: "a", listId: "b" } }).length).toBeGreaterThan(0);
  });

  it("needs an ISO date-time for the expiry", () => {
    expect(issues({ ...valid, expiresAt: "next week" })).toEqual(["expiresAt: Expiry must be an ISO-8601 date-time"]);
  });

  it("lists the value lists it refers to", () => {
    expect(
      referencedListIds([
        [{ field: "a", operator: "in_list", listId: "x" }],
        [
          { field: "b", operator: "not_in_list", listId: "y" },
          { field: "c", operator: "in_list", listId: "x" },
        ],
      ]),
    ).toEqual(["x", "y"]);
  });
});

describe("prefillConditions", () => {
  it("takes the telling fields of the event, one row per value", () => {
    const event = {
      "@timestamp": "2026-11-20T10:00:00Z",
      container: { id: "abc", image: { name: "nginx:1.27" } },
      process: { executable: "/usr/bin/nc", args: ["nc", "-l", "nc"], parent: { executable: "/bin/sh" }, pid: 3 },
      "user.name": "root",
    };
    expect(prefillConditions(event)).toEqual([
      { field: "container.image.name", operator: "is", value: "nginx:1.27" },
      { field: "process.executable", operator: "is", value: "/usr/bin/nc" },
      { field: "process.args", operator: "is", value: "nc" },
      { field: "process.args", operator: "is", value: "-l" },
      { field: "process.parent.executable", operator: "is", value: "/bin/sh" },
      { field: "user.name", operator: "is", value: "root" },
    ]);
  });

  it("offers nothing for an event without those fields", () => {
    expect(prefillConditions({ host: { name: "n1" } })).toEqual([]);
  });

  it("caps a long argument vector", () => {
    const args = Array.from({ length: 20 }, (_, i) => `a${i}`);
    expect(prefillConditions({ process: { args } })).toHaveLength(8);
  });
});

describe("NDJSON", () => {
  it("round-trips lists and items", () => {
    const lines = [
      { type: "exception_list" as const, name: "Shared", description: "", rules: ["r1", "r2"] },
      {
        type: "exception_item" as const,
        name: "i",
        description: "d",
        listName: "Shared",
        groups: [[{ field: "a", operator: "exists" as const }]],
        expiresAt: null,
      },
    ];
    const parsed = parseExceptionsNdjson(toNdjson(lines));
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((l) => l.value)).toEqual(lines);
  });

  it("reports bad lines with their number and field path, skipping blanks", () => {
    const text = [
      '{"type":"exception_list","name":"L"}',
      "",
      "{not json",
      '{"type":"exception_item","name":"x","ruleId":"r","groups":[[{"field":"a","operator":"is"}]]}',
      '{"type":"exception_item","name":"x","groups":[[{"field":"a","operator":"exists"}]]}',
      '{"type":"other"}',
    ].join("\n");
    const parsed = parseExceptionsNdjson(text);
    expect(parsed.lines.map((l) => l.line)).toEqual([1]);
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(parsed.errors[0]?.message).toMatch(/^Not valid JSON/);
    expect(parsed.errors[1]?.message).toBe('groups.0.0.value: "is" needs a value');
    expect(parsed.errors[2]?.message).toBe("ruleId: An item names exactly one of ruleId and listName");
  });
});

describe("parseValueListText", () => {
  it("takes one trimmed value per line, skipping blanks and repeats", () => {
    expect(parseValueListText("nc\r\n  curl \n\n\nwget\nnc\n")).toEqual({
      ok: true,
      values: ["nc", "curl", "wget"],
      duplicates: 1,
    });
  });

  it("refuses an empty file and too many values", () => {
    expect(parseValueListText("\n  \n")).toMatchObject({ ok: false, line: null });
    const many = Array.from({ length: 100_001 }, (_, i) => `v${i}`).join("\n");
    expect(parseValueListText(many)).toMatchObject({ ok: false, line: 100_001 });
    const exactly = Array.from({ length: 100_000 }, (_, i) => `v${i}`).join("\n");
    expect(parseValueListText(exactly)).toMatchObject({ ok: true });
  });

  it("refuses an over-long line, naming it", () => {
    expect(parseValueListText(`a\n${"x".repeat(5000)}`)).toMatchObject({ ok: false, line: 2 });
  });
});
