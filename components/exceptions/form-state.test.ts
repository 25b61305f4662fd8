import { describe, expect, it } from "vitest";
import { emptyForm, type FormState, formFromItem, newRow, toInput, validateForm } from "./form-state";

function form(overrides: Partial<FormState>): FormState {
  return { ...emptyForm(), ...overrides };
}

describe("exception form state", () => {
  it("sends only the inputs the operator uses", () => {
    const state = form({
      name: "n",
      scope: "rule:r1",
      groups: [
        [
          newRow({ field: " process.name ", operator: "is", value: "nc", valuesText: "ignored" }),
          newRow({ field: "user.name", operator: "is_one_of", value: "ignored", valuesText: "a\n\n b \n" }),
        ],
        [newRow({ field: "host.name", operator: "exists", value: "ignored" })],
        [newRow({ field: "process.name", operator: "in_list", listId: "vl1" })],
      ],
      expiresOn: "2026-12-31",
    });
    expect(toInput(state)).toEqual({
      name: "n",
      scope: { ruleId: "r1" },
      groups: [
        [
          { field: "process.name", operator: "is", value: "nc" },
          { field: "user.name", operator: "is_one_of", values: ["a", "b"] },
        ],
        [{ field: "host.name", operator: "exists" }],
        [{ field: "process.name", operator: "in_list", listId: "vl1" }],
      ],
      expiresAt: "2026-12-31T00:00:00.000Z",
    });
    expect(validateForm(state).ok).toBe(true);
  });

  it("reports errors by the API's field paths", () => {
    const result = validateForm(
      form({
        groups: [[newRow({ field: "process.name", operator: "is" })], [newRow({ field: "a b", operator: "exists" })]],
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toMatchObject({
        name: "Name is required",
        scope: "Choose a rule or a shared list",
        "groups.0.0.value": '"is" needs a value',
      });
      expect(result.errors["groups.1.0.field"]).toMatch(/dotted ECS name/);
    }
  });

  it("round-trips an item into the form", () => {
    const state = formFromItem({
      name: "x",
      description: "",
      scope: { kind: "list", listId: "l1" },
      groups: [[{ field: "user.name", operator: "is_not_one_of", values: ["a", "b"] }]],
      expiresAt: "2026-12-01T00:00:00.000Z",
    });
    expect(state.scope).toBe("list:l1");
    expect(state.expiresOn).toBe("2026-12-01");
    expect(toInput(state)).toMatchObject({
      scope: { listId: "l1" },
      groups: [[{ field: "user.name", operator: "is_not_one_of", values: ["a", "b"] }]],
    });
  });
});
