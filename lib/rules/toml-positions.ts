/**
 * Where keys sit in a TOML file. smol-toml gives values, not positions, so
 * errors about a field ("rule.type", "rule.risk_score") find their line with
 * this light scan: table headers and `key =` lines, skipping the insides of
 * multi-line strings (a guide's markdown may well contain "[rule]").
 */

export interface KeyPosition {
  line: number;
  column: number;
  /** Where the value's text starts (for a multi-line string, after the delimiter and its trimmed newline). */
  valueLine: number;
  valueColumn: number;
}

const TABLE_HEADER = /^\s*\[\[?\s*([A-Za-z0-9_.\-" ]+?)\s*\]\]?\s*(#.*)?$/;
const KEY_LINE = /^(\s*)(["']?)([A-Za-z0-9_-]+)\2\s*=\s*(.*)$/;
const MULTILINE_DELIMITERS = ["'''", '"""'] as const;

/** Every top-level key of every table, by dotted path ("rule.type"); the first occurrence wins. */
export function locateKeys(source: string): Map<string, KeyPosition> {
  const positions = new Map<string, KeyPosition>();
  const lines = source.split(/\r?\n/);
  let table = "";
  let openDelimiter: string | null = null;

  lines.forEach((text, index) => {
    const lineNumber = index + 1;
    if (openDelimiter) {
      if (text.includes(openDelimiter)) openDelimiter = null;
      return;
    }
    const header = TABLE_HEADER.exec(text);
    if (header) {
      table = (header[1] ?? "").replaceAll('"', "").replaceAll(" ", "");
      return;
    }
    const key = KEY_LINE.exec(text);
    if (key) {
      const path = table ? `${table}.${key[3]}` : (key[3] ?? "");
      const value = key[4] ?? "";
      const opensMultiline = unclosedDelimiter(value);
      if (!positions.has(path)) {
        const column = (key[1]?.length ?? 0) + 1;
        const valueStarts = text.length - value.length;
        const stringOpener = /^('''|"""|'|")/.exec(value)?.[0] ?? "";
        const startsOnNextLine = opensMultiline !== null && value.trim() === opensMultiline;
        positions.set(path, {
          line: lineNumber,
          column,
          valueLine: startsOnNextLine ? lineNumber + 1 : lineNumber,
          valueColumn: startsOnNextLine ? 1 : valueStarts + stringOpener.length + 1,
        });
      }
      openDelimiter = opensMultiline;
      return;
    }
    openDelimiter = unclosedDelimiter(text);
  });
  return positions;
}

/** The multi-line string delimiter a line opens and does not close, if any. */
function unclosedDelimiter(text: string): string | null {
  let first: { delimiter: string; at: number } | null = null;
  for (const delimiter of MULTILINE_DELIMITERS) {
    const at = text.indexOf(delimiter);
    if (at >= 0 && (first === null || at < first.at)) first = { delimiter, at };
  }
  if (!first) return null;
  const closes = text.indexOf(first.delimiter, first.at + first.delimiter.length);
  return closes >= 0 ? null : first.delimiter;
}
