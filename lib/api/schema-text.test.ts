import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldRows, notesText, typeText } from "./schema-text";

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;

describe("schema text", () => {
  it("names types, enums, unions and arrays", () => {
    expect(typeText(json(z.enum(["open", "closed"])))).toBe('"open" | "closed"');
    expect(typeText(json(z.array(z.string())))).toBe("array of string");
    expect(typeText(json(z.string().nullable()))).toBe("string | null");
    expect(typeText(json(z.iso.datetime()))).toBe("string (date-time)");
    expect(typeText({})).toBe("any");
  });

  it("lists limits, defaults and descriptions", () => {
    expect(notesText(json(z.int().min(1).max(200).default(50).describe("page size")))).toBe(
      "≥ 1, ≤ 200, default 50, page size",
    );
  });

  it("lists the top-level fields of objects and intersections", () => {
    const schema = z.object({ a: z.string() }).and(z.object({ b: z.number().optional() }));
    expect(fieldRows(json(schema))).toEqual([
      { name: "a", type: "string", required: true, notes: "" },
      { name: "b", type: "number", required: false, notes: "" },
    ]);
    expect(fieldRows(json(z.string()))).toEqual([]);
  });
});
