/** Plain tables for the terminal and for RESULTS.md, from rows of cells. */

export interface Grid {
  headers: string[];
  rows: string[][];
  /** Columns to right-align (numbers), by index. */
  right?: number[];
}

export function textTable(grid: Grid): string {
  const all = [grid.headers, ...grid.rows];
  const widths = grid.headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const right = new Set(grid.right ?? []);
  return all
    .map((row) =>
      grid.headers
        .map((_, i) => {
          const cell = row[i] ?? "";
          const width = widths[i] ?? 0;
          return right.has(i) ? cell.padStart(width) : cell.padEnd(width);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function markdownGrid(grid: Grid): string {
  const right = new Set(grid.right ?? []);
  return [
    `| ${grid.headers.map(escapeCell).join(" | ")} |`,
    `|${grid.headers.map((_, i) => (right.has(i) ? "---:" : "---")).join("|")}|`,
    ...grid.rows.map((row) => `| ${grid.headers.map((_, i) => escapeCell(row[i] ?? "")).join(" | ")} |`),
  ].join("\n");
}
