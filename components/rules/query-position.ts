/**
 * Where a query error sits, ready to show: the offending line of the query
 * and how far in the caret goes. lib/eql counts lines and columns from 1;
 * a position past the end of its line is clamped to just after the line.
 */
export interface QueryErrorPlace {
  line: number;
  column: number;
  lineText: string;
  /** Characters before the caret on that line (column - 1, clamped). */
  caretOffset: number;
}

export function placeQueryError(query: string, line: number, column: number): QueryErrorPlace {
  const lines = query.split(/\r?\n/);
  const index = Math.min(Math.max(line, 1), Math.max(lines.length, 1)) - 1;
  const lineText = lines[index] ?? "";
  const caretOffset = Math.min(Math.max(column - 1, 0), lineText.length);
  return { line: index + 1, column, lineText, caretOffset };
}

/** Tabs would shift the caret; they are shown as single spaces on both the line and the caret row. */
export function caretRow(place: QueryErrorPlace): { text: string; caret: string } {
  const text = place.lineText.replace(/\t/g, " ");
  return { text, caret: `${" ".repeat(place.caretOffset)}^` };
}
