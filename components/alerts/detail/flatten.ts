/**
 * ECS documents as the field/value rows analysts search: nested objects become
 * dotted names ("process.parent.name"), arrays become multi-valued fields, and
 * arrays of objects merge their members' values under the same dotted names,
 * as Elasticsearch does for multi-valued fields.
 */

export interface FieldRow {
  field: string;
  values: string[];
}

export function flattenDocument(document: Record<string, unknown>): FieldRow[] {
  const fields = new Map<string, string[]>();
  const add = (field: string, value: string) => {
    const list = fields.get(field);
    if (list) list.push(value);
    else fields.set(field, [value]);
  };
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (depth > 32) {
      add(prefix, JSON.stringify(value) ?? "");
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) fields.set(prefix, fields.get(prefix) ?? []);
      for (const item of value) walk(item, prefix, depth + 1);
      return;
    }
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && prefix) fields.set(prefix, fields.get(prefix) ?? []);
      for (const [key, child] of entries) walk(child, prefix ? `${prefix}.${key}` : key, depth + 1);
      return;
    }
    add(prefix, scalarText(value));
  };
  walk(document, "", 0);
  return [...fields.entries()]
    .map(([field, values]) => ({ field, values }))
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "null";
  return String(value);
}

/** Rows whose field name or any value contains the query, ignoring case. */
export function filterRows(rows: readonly FieldRow[], query: string): FieldRow[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...rows];
  return rows.filter(
    (row) => row.field.toLowerCase().includes(needle) || row.values.some((v) => v.toLowerCase().includes(needle)),
  );
}

/** A value from a document by dotted ECS name, trying nested objects and dotted keys alike. */
export function fieldValue(document: Record<string, unknown>, field: string): unknown {
  if (field in document) return document[field];
  for (let cut = field.indexOf("."); cut !== -1; cut = field.indexOf(".", cut + 1)) {
    const child = document[field.slice(0, cut)];
    if (child !== null && typeof child === "object" && !Array.isArray(child)) {
      const found = fieldValue(child as Record<string, unknown>, field.slice(cut + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The first text value of a field, or null. */
export function fieldText(document: Record<string, unknown>, field: string): string | null {
  const value = fieldValue(document, field);
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first === "" ? null : first;
  if (typeof first === "number" || typeof first === "boolean") return String(first);
  return null;
}
