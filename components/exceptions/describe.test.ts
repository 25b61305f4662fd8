import { describe, expect, it } from "vitest";
import { describeCondition } from "./describe";

describe("describeCondition", () => {
  const lists = new Map([["vl_1", "scanner hosts"]]);

  it("reads each value shape as a sentence", () => {
    expect(describeCondition({ field: "process.name", operator: "is", value: "nc" }, lists)).toBe(
      'process.name is "nc"',
    );
    expect(describeCondition({ field: "user.name", operator: "is_not_one_of", values: ["root", "app"] }, lists)).toBe(
      'user.name is not one of ("root", "app")',
    );
    expect(describeCondition({ field: "host.name", operator: "in_list", listId: "vl_1" }, lists)).toBe(
      "host.name is in list scanner hosts",
    );
    expect(describeCondition({ field: "process.parent.name", operator: "does_not_exist" }, lists)).toBe(
      "process.parent.name does not exist",
    );
  });

  it("falls back to the id of a value list it does not know", () => {
    expect(describeCondition({ field: "host.name", operator: "not_in_list", listId: "vl_gone" }, lists)).toBe(
      "host.name is not in list vl_gone",
    );
  });
});
