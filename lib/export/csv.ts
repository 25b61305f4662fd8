/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by
 * CRLF, a field holding a comma, a double quote, CR or LF wrapped in double
 * quotes with its quotes doubled. A text cell that a spreadsheet would read
 * as a formula (it starts with = + - @, a tab or CR) gets a leading single
 * quote, so opening an export of attacker-controlled command lines in Excel or
 * LibreOffice cannot run one (OWASP "CSV injection").
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One value as text: empty for null, ISO for a date, JSON for an object or array. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** One field, escaped and defused. Numbers, booleans and dates are data, never formulas. */
export function csvField(value: unknown): string {
  let text = cellText(value);
  const data = typeof value === "number" || typeof value === "bigint" || typeof value === "boolean";
  if (!data && !(value instanceof Date) && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF included. */
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
