/**
 * Plain-text summaries of JSON Schema fragments for the in-app API reference:
 * one row per top-level field with its type and constraints, so a reader does
 * not have to parse JSON Schema by eye.
 */

type JsonSchema = Record<string, unknown>;

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  notes: string;
}

/** e.g. `string`, `integer`, `"open" | "closed"`, `array of string`, `string | null`. */
export function typeText(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) return [...new Set(union.map(typeText))].join(" | ");
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map(typeText).join(" & ");
  if (schema.type === "array") {
    const items = schema.items as JsonSchema | undefined;
    return items ? `array of ${typeText(items)}` : "array";
  }
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (typeof schema.type === "string") return schema.format ? `${schema.type} (${schema.format})` : schema.type;
  return "any";
}

const LIMITS: [string, string][] = [
  ["minimum", "≥"],
  ["exclusiveMinimum", ">"],
  ["maximum", "≤"],
  ["exclusiveMaximum", "<"],
  ["minLength", "min length"],
  ["maxLength", "max length"],
  ["minItems", "min items"],
  ["maxItems", "max items"],
];

/** Constraints, default and description, e.g. `≥ 1, ≤ 200, default 50`. */
export function notesText(schema: JsonSchema): string {
  const notes: string[] = [];
  for (const [key, label] of LIMITS) {
    if (typeof schema[key] === "number") notes.push(`${label} ${schema[key]}`);
  }
  if (typeof schema.pattern === "string") notes.push(`matches /${schema.pattern}/`);
  if ("default" in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (typeof schema.description === "string") notes.push(schema.description);
  return notes.join(", ");
}

/** The top-level fields of an object schema (intersections merged); empty for anything else. */
export function fieldRows(schema: JsonSchema): FieldRow[] {
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [schema];
  const rows: FieldRow[] = [];
  for (const part of parts) {
    const properties = (part.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((part.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      rows.push({ name, type: typeText(property), required: required.has(name), notes: notesText(property) });
    }
  }
  return rows;
}
