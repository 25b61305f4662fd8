import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileExceptionItem, OPERATOR_LABELS, parseExceptionsNdjson } from "@/lib/exceptions";

const doc = readFileSync(path.join(import.meta.dirname, "exceptions.md"), "utf8");

describe("docs/exceptions.md", () => {
  it("shows an NDJSON export that the importer reads without errors", () => {
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const parsed = parseExceptionsNdjson(example as string);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((entry) => entry.value.type)).toEqual([
      "exception_list",
      "exception_item",
      "exception_item",
    ]);
  });

  it("names every operator the form offers", () => {
    for (const label of Object.values(OPERATOR_LABELS)) expect(doc).toContain(`| \`${label}\``);
  });

  it("states matching rules the matcher follows (case, arrays, missing fields)", () => {
    const item = (operator: "is" | "is_not", value: string) =>
      compileExceptionItem({ groups: [[{ field: "process.args", operator, value }]] }, new Map());
    expect(item("is", "NC")({ process: { args: ["nc", "-l"] } })).toBe(false);
    expect(item("is", "nc")({ process: { args: ["nc", "-l"] } })).toBe(true);
    expect(item("is_not", "nc")({ process: { args: ["nc", "-l"] } })).toBe(false);
    expect(item("is_not", "nc")({ process: {} })).toBe(true);
  });
});
