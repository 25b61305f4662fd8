import { describe, expect, it } from "vitest";
import {
  type ActiveExceptions,
  compileCondition,
  compileExceptionItem,
  compileExceptions,
  isActive,
  type MatchableItem,
} from "./matcher";
import type { ExceptionCondition } from "./schema";

const single = { process: { name: "nc", pid: 42, interactive: true }, user: { name: "root" } };
const multi = { process: { name: "nc", args: ["nc", "-l", "-p", "4444"] }, tags: ["Blue", "green"] };
const dotted = { "process.name": "curl", "container.image.name": "registry.local/App:1.2" };
const mixed = { process: { "parent.name": "bash", parent: { pid: 7 } } };
const arrayOfObjects = { dns: { answers: [{ data: "10.0.0.1" }, { data: "10.0.0.2" }] } };
const empty = { process: { name: null, args: [] }, user: {} };

function test(condition: ExceptionCondition, event: Record<string, unknown>, lists = new Map<string, Set<string>>()) {
  return compileCondition(condition, lists)(event);
}

describe("is / is not", () => {
  it("matches exact single values, case-sensitively", () => {
    expect(test({ field: "process.name", operator: "is", value: "nc" }, single)).toBe(true);
    expect(test({ field: "process.name", operator: "is", value: "NC" }, single)).toBe(false);
    expect(test({ field: "process.name", operator: "is", value: "n" }, single)).toBe(false);
    expect(test({ field: "process.name", operator: "is_not", value: "NC" }, single)).toBe(true);
    expect(test({ field: "process.name", operator: "is_not", value: "nc" }, single)).toBe(false);
  });

  it("compares numbers and booleans by their string form", () => {
    expect(test({ field: "process.pid", operator: "is", value: "42" }, single)).toBe(true);
    expect(test({ field: "process.pid", operator: "is", value: "42.0" }, single)).toBe(false);
    expect(test({ field: "process.interactive", operator: "is", value: "true" }, single)).toBe(true);
    expect(test({ field: "process.interactive", operator: "is", value: "True" }, single)).toBe(false);
  });

  it("matches a multi-valued field when any value equals; is not only when none does", () => {
    expect(test({ field: "process.args", operator: "is", value: "-l" }, multi)).toBe(true);
    expect(test({ field: "process.args", operator: "is", value: "4444" }, multi)).toBe(true);
    expect(test({ field: "process.args", operator: "is", value: "-x" }, multi)).toBe(false);
    expect(test({ field: "process.args", operator: "is_not", value: "-l" }, multi)).toBe(false);
    expect(test({ field: "process.args", operator: "is_not", value: "-x" }, multi)).toBe(true);
  });

  it("reads dotted keys, mixed nesting and arrays of objects", () => {
    expect(test({ field: "process.name", operator: "is", value: "curl" }, dotted)).toBe(true);
    expect(test({ field: "process.parent.name", operator: "is", value: "bash" }, mixed)).toBe(true);
    expect(test({ field: "process.parent.pid", operator: "is", value: "7" }, mixed)).toBe(true);
    expect(test({ field: "dns.answers.data", operator: "is", value: "10.0.0.2" }, arrayOfObjects)).toBe(true);
  });

  it("treats a missing field as no value: is fails, is not holds", () => {
    for (const event of [single, empty, {}]) {
      expect(test({ field: "host.name", operator: "is", value: "x" }, event)).toBe(false);
      expect(test({ field: "host.name", operator: "is_not", value: "x" }, event)).toBe(true);
    }
    expect(test({ field: "process.name", operator: "is", value: "null" }, empty)).toBe(false);
    expect(test({ field: "process.args", operator: "is_not", value: "x" }, empty)).toBe(true);
    // an object is not a value
    expect(test({ field: "user", operator: "is", value: "[object Object]" }, single)).toBe(false);
  });
});

describe("is one of / is not one of", () => {
  const oneOf = (values: string[]): ExceptionCondition => ({ field: "process.name", operator: "is_one_of", values });
  const notOneOf = (values: string[]): ExceptionCondition => ({
    field: "process.name",
    operator: "is_not_one_of",
    values,
  });

  it("matches when the value is in the set, case-sensitively", () => {
    expect(test(oneOf(["curl", "nc"]), single)).toBe(true);
    expect(test(oneOf(["curl", "NC"]), single)).toBe(false);
    expect(test(notOneOf(["curl", "NC"]), single)).toBe(true);
    expect(test(notOneOf(["curl", "nc"]), single)).toBe(false);
  });

  it("matches multi-valued fields on any value", () => {
    const tags = (values: string[], operator: "is_one_of" | "is_not_one_of"): ExceptionCondition => ({
      field: "tags",
      operator,
      values,
    });
    expect(test(tags(["green", "red"], "is_one_of"), multi)).toBe(true);
    expect(test(tags(["blue", "red"], "is_one_of"), multi)).toBe(false);
    expect(test(tags(["green", "red"], "is_not_one_of"), multi)).toBe(false);
    expect(test(tags(["blue", "red"], "is_not_one_of"), multi)).toBe(true);
  });

  it("handles missing fields and numbers", () => {
    expect(test(oneOf(["nc"]), {})).toBe(false);
    expect(test(notOneOf(["nc"]), {})).toBe(true);
    expect(test({ field: "process.pid", operator: "is_one_of", values: ["1", "42"] }, single)).toBe(true);
  });
});

describe("exists / does not exist", () => {
  it("tests for any indexed value", () => {
    expect(test({ field: "process.name", operator: "exists" }, single)).toBe(true);
    expect(test({ field: "process.args", operator: "exists" }, multi)).toBe(true);
    expect(test({ field: "process.name", operator: "exists" }, dotted)).toBe(true);
    expect(test({ field: "process.name", operator: "does_not_exist" }, single)).toBe(false);
  });

  it("treats null, [], objects and absence as not existing", () => {
    expect(test({ field: "process.name", operator: "exists" }, empty)).toBe(false);
    expect(test({ field: "process.args", operator: "exists" }, empty)).toBe(false);
    expect(test({ field: "user", operator: "exists" }, empty)).toBe(false);
    expect(test({ field: "host.name", operator: "exists" }, {})).toBe(false);
    expect(test({ field: "process.name", operator: "does_not_exist" }, empty)).toBe(true);
    expect(test({ field: "host.name", operator: "does_not_exist" }, single)).toBe(true);
  });
});

describe("matches / does not match", () => {
  const image = (value: string, operator: "matches" | "does_not_match" = "matches"): ExceptionCondition => ({
    field: "container.image.name",
    operator,
    value,
  });

  it("supports * and ? wildcards over the whole value", () => {
    expect(test(image("registry.local/*"), dotted)).toBe(true);
    expect(test(image("*:1.2"), dotted)).toBe(true);
    expect(test(image("*App*"), dotted)).toBe(true);
    expect(test(image("registry.local/App:1.?"), dotted)).toBe(true);
    expect(test(image("registry.local/App:?"), dotted)).toBe(false);
    expect(test(image("registry"), dotted)).toBe(false);
    expect(test(image("*"), dotted)).toBe(true);
  });

  it("is case-sensitive, as Elastic's wildcard query on keyword fields", () => {
    expect(test(image("*app*"), dotted)).toBe(false);
    expect(test(image("*app*", "does_not_match"), dotted)).toBe(true);
    expect(test(image("*App*", "does_not_match"), dotted)).toBe(false);
  });

  it("lets a backslash escape a wildcard character", () => {
    const event = { file: { path: "/tmp/a*b", name: "C:\\Temp\\x.exe" } };
    expect(test({ field: "file.path", operator: "matches", value: "/tmp/a\\*b" }, event)).toBe(true);
    expect(test({ field: "file.path", operator: "matches", value: "/tmp/a\\*b" }, { file: { path: "/tmp/axb" } })).toBe(
      false,
    );
    expect(test({ field: "file.name", operator: "matches", value: "C:\\\\Temp\\\\*" }, event)).toBe(true);
  });

  it("matches any value of a multi-valued field; does not match only when none does", () => {
    const args = (value: string, operator: "matches" | "does_not_match"): ExceptionCondition => ({
      field: "process.args",
      operator,
      value,
    });
    expect(test(args("44*", "matches"), multi)).toBe(true);
    expect(test(args("-?", "matches"), multi)).toBe(true);
    expect(test(args("-?", "does_not_match"), multi)).toBe(false);
    expect(test(args("/bin/*", "does_not_match"), multi)).toBe(true);
  });

  it("never matches a missing field; does not match holds", () => {
    expect(test(image("*"), {})).toBe(false);
    expect(test(image("*", "does_not_match"), {})).toBe(true);
    expect(test(image("*"), { container: { image: { name: null } } })).toBe(false);
  });

  it("matches numbers by their string form", () => {
    expect(test({ field: "process.pid", operator: "matches", value: "4?" }, single)).toBe(true);
  });
});

describe("in list / not in list", () => {
  const lists = new Map([
    ["tools", new Set(["nc", "curl", "wget"])],
    ["ports", new Set(["4444", "8080"])],
  ]);

  it("matches when a value is in the list, case-sensitively", () => {
    expect(test({ field: "process.name", operator: "in_list", listId: "tools" }, single, lists)).toBe(true);
    expect(
      test({ field: "process.name", operator: "in_list", listId: "tools" }, { process: { name: "NC" } }, lists),
    ).toBe(false);
    expect(test({ field: "process.name", operator: "not_in_list", listId: "tools" }, single, lists)).toBe(false);
    expect(test({ field: "user.name", operator: "not_in_list", listId: "tools" }, single, lists)).toBe(true);
  });

  it("matches multi-valued fields on any value", () => {
    expect(test({ field: "process.args", operator: "in_list", listId: "ports" }, multi, lists)).toBe(true);
    expect(test({ field: "process.args", operator: "not_in_list", listId: "ports" }, multi, lists)).toBe(false);
    expect(test({ field: "tags", operator: "in_list", listId: "ports" }, multi, lists)).toBe(false);
  });

  it("treats a missing field as no value", () => {
    expect(test({ field: "host.name", operator: "in_list", listId: "tools" }, single, lists)).toBe(false);
    expect(test({ field: "host.name", operator: "not_in_list", listId: "tools" }, single, lists)).toBe(true);
  });

  it("never matches when the value list is not loaded, for either operator", () => {
    expect(test({ field: "process.name", operator: "in_list", listId: "gone" }, single, lists)).toBe(false);
    expect(test({ field: "process.name", operator: "not_in_list", listId: "gone" }, single, lists)).toBe(false);
    expect(test({ field: "host.name", operator: "not_in_list", listId: "gone" }, single, lists)).toBe(false);
  });
});

describe("compileExceptionItem", () => {
  const item = {
    groups: [
      [
        { field: "process.name", operator: "is" as const, value: "nc" },
        { field: "user.name", operator: "is" as const, value: "root" },
      ],
      [{ field: "container.image.name", operator: "matches" as const, value: "registry.local/*" }],
    ],
  };
  const predicate = compileExceptionItem(item, new Map());

  it("is an OR of ANDs", () => {
    expect(predicate(single)).toBe(true); // first group: both hold
    expect(predicate({ process: { name: "nc" }, user: { name: "alice" } })).toBe(false); // first group half
    expect(predicate(dotted)).toBe(true); // second group
    expect(predicate({})).toBe(false);
  });

  it("fails a group whose list is missing without failing the others", () => {
    const withList = compileExceptionItem(
      {
        groups: [
          [{ field: "process.name", operator: "not_in_list", listId: "gone" }],
          [{ field: "user.name", operator: "is", value: "root" }],
        ],
      },
      new Map(),
    );
    expect(withList({ process: { name: "x" } })).toBe(false);
    expect(withList(single)).toBe(true);
  });
});

describe("compileExceptions", () => {
  const now = new Date("2026-11-23T10:00:00Z");
  const base = (overrides: Partial<MatchableItem> & { id: string }): MatchableItem => ({
    name: overrides.id,
    ruleId: null,
    listId: null,
    groups: [[{ field: "process.name", operator: "is", value: "nc" }]],
    expiresAt: null,
    ...overrides,
  });

  const active: ActiveExceptions = {
    items: [
      base({ id: "own", ruleId: "rule-a" }),
      base({
        id: "expired",
        ruleId: "rule-a",
        groups: [[{ field: "user.name", operator: "is", value: "root" }]],
        expiresAt: new Date("2026-11-23T09:59:59Z"),
      }),
      base({
        id: "shared",
        listId: "list-1",
        groups: [[{ field: "process.name", operator: "in_list", listId: "vl-tools" }]],
      }),
      base({
        id: "expiring-later",
        listId: "list-1",
        groups: [[{ field: "user.name", operator: "is", value: "svc" }]],
        expiresAt: new Date("2026-11-24T00:00:00Z"),
      }),
    ],
    attachments: [
      { ruleId: "rule-b", listId: "list-1" },
      { ruleId: "rule-b", listId: "list-1" },
      { ruleId: "rule-a", listId: "list-unknown" },
    ],
    valueLists: new Map([["vl-tools", new Set(["curl", "wget"])]]),
  };
  const compiled = compileExceptions(active, { now });

  it("applies rule-scoped items only to their rule", () => {
    expect(compiled.match("rule-a", single)).toEqual({ itemId: "own", name: "own" });
    expect(compiled.match("rule-c", single)).toBeNull();
  });

  it("applies shared list items to the rules the list is attached to", () => {
    expect(compiled.match("rule-b", { process: { name: "curl" } })).toEqual({ itemId: "shared", name: "shared" });
    expect(compiled.match("rule-b", single)).toBeNull();
    expect(compiled.match("rule-a", { process: { name: "curl" } })).toBeNull();
    expect(compiled.match("rule-b", { user: { name: "svc" } })?.itemId).toBe("expiring-later");
  });

  it("leaves out items that have expired at now", () => {
    expect(compiled.match("rule-a", { user: { name: "root" } })).toBeNull();
    const earlier = compileExceptions(active, { now: new Date("2026-11-23T09:00:00Z") });
    expect(earlier.match("rule-a", { user: { name: "root" } })?.itemId).toBe("expired");
    const later = compileExceptions(active, { now: new Date("2026-11-24T00:00:00Z") });
    expect(later.match("rule-b", { user: { name: "svc" } })).toBeNull();
  });

  it("counts the items applying to each rule, attachments once", () => {
    expect(compiled.countFor("rule-a")).toBe(1);
    expect(compiled.countFor("rule-b")).toBe(2);
    expect(compiled.countFor("rule-z")).toBe(0);
  });

  it("expires exactly at the expiry instant", () => {
    expect(isActive({ expiresAt: now }, now)).toBe(false);
    expect(isActive({ expiresAt: new Date(now.getTime() + 1) }, now)).toBe(true);
    expect(isActive({ expiresAt: null }, now)).toBe(true);
  });
});
