import { describe, expect, it } from "vitest";
import { compileJoinKeys } from "./join-keys";
import { parse } from "./parser";

const ctx = { eventCategoryField: "event.category", caseInsensitive: false };

/** The key reader of `sample by <keys> [any where true] [any where true]`. */
function reader(keys: string) {
  const query = parse(`sample by ${keys} [any where true] [any where true]`);
  return compileJoinKeys(query.kind === "sample" ? query.by : [], ctx);
}

describe("compileJoinKeys", () => {
  it("reads one key per value of a multi-valued field, without repeats", () => {
    const keys = reader("tags")({ tags: ["a", "b", "a"] });
    expect(keys.map((key) => key.values)).toEqual([["a"], ["b"]]);
  });

  it("gives every combination of several multi-valued keys", () => {
    const keys = reader("a, b")({ a: [1, 2], b: ["x", "y"] });
    expect(keys.map((key) => key.values)).toEqual([
      [1, "x"],
      [1, "y"],
      [2, "x"],
      [2, "y"],
    ]);
  });

  it("keeps an event with a missing required key out of every join", () => {
    expect(reader("a, b")({ a: 1 })).toEqual([]);
    expect(reader("a")({ a: null })).toEqual([]);
    expect(reader("a")({ a: [] })).toEqual([]);
    expect(reader("a")({ a: { nested: 1 } })).toEqual([]);
  });

  it("reads a missing optional key as null", () => {
    expect(reader("?a, b")({ b: "x" }).map((key) => key.values)).toEqual([[null, "x"]]);
  });

  it("gives keys of different types different ids", () => {
    const read = reader("a");
    const ids = [7, "7", true, "true", "n7"].map((a) => read({ a })[0]?.id);
    expect(new Set(ids).size).toBe(5);
    expect(read({ a: "x" })[0]?.id).toBe(read({ a: ["x"] })[0]?.id);
  });

  it("reads dotted and nested field names alike", () => {
    const read = reader("host.name");
    expect(read({ host: { name: "h" } })[0]?.id).toBe(read({ "host.name": "h" })[0]?.id);
  });

  it("evaluates expressions, and a null result keeps the event out", () => {
    const read = reader("length(name)");
    expect(read({ name: "abc" }).map((key) => key.values)).toEqual([[3]]);
    expect(read({})).toEqual([]);
  });
});
