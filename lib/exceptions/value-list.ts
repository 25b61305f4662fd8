import { MAX_VALUE_LIST_ITEMS } from "./schema";

export const MAX_VALUE_LENGTH_IN_LIST = 4_096;

export type ValueListParse =
  | { ok: true; values: string[]; duplicates: number }
  | { ok: false; line: number | null; message: string };

/**
 * A value list file: one value per line (LF or CRLF), trimmed; blank lines
 * skipped; repeated values kept once. At most MAX_VALUE_LIST_ITEMS values.
 */
export function parseValueListText(text: string): ValueListParse {
  const values = new Set<string>();
  let duplicates = 0;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const value = (lines[index] ?? "").trim();
    if (value === "") continue;
    if (value.length > MAX_VALUE_LENGTH_IN_LIST) {
      return {
        ok: false,
        line: index + 1,
        message: `Line ${index + 1} is longer than ${MAX_VALUE_LENGTH_IN_LIST} characters`,
      };
    }
    if (values.has(value)) {
      duplicates++;
      continue;
    }
    if (values.size >= MAX_VALUE_LIST_ITEMS) {
      return {
        ok: false,
        line: index + 1,
        message: `A value list holds at most ${MAX_VALUE_LIST_ITEMS.toLocaleString("en-US")} values`,
      };
    }
    values.add(value);
  }
  if (values.size === 0) return { ok: false, line: null, message: "The file holds no values (one value per line)" };
  return { ok: true, values: [...values], duplicates };
}
