/**
 * Wildcard patterns (`*` any run of characters, `?` exactly one character),
 * compiled once into a matcher for the `:`, `like` and `like~` operators.
 *
 * Two dialects exist in Elasticsearch EQL and both are needed:
 * - EQL patterns (`:`, `like`): only `*` and `?` are special; a backslash is an
 *   ordinary character, so `"C:\\Temp\\*"` matches `C:\Temp\x.exe`.
 * - Lucene wildcard queries built by `endsWith`/`stringContains` on a field:
 *   Elasticsearch splices the argument into `*arg*` unescaped, so `*` and `?`
 *   inside it are wildcards and a backslash escapes the next character.
 *
 * Matching works on code points (so `?` matches one emoji) and the common
 * shapes (exact, `*`, `prefix*`, `*suffix`, `*infix*`) avoid regular expressions.
 */

export interface WildcardOptions {
  caseInsensitive: boolean;
  /** Lucene wildcard dialect: a backslash escapes the next character. */
  backslashEscapes?: boolean;
}

export type StringMatcher = (value: string) => boolean;

type Token = { kind: "text"; text: string } | { kind: "star" } | { kind: "one" };

function tokenize(pattern: string, backslashEscapes: boolean): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flush = () => {
    if (text !== "") tokens.push({ kind: "text", text });
    text = "";
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "*") {
      flush();
      // consecutive stars are one star
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (ch === "?") {
      flush();
      tokens.push({ kind: "one" });
    } else if (ch === "\\" && backslashEscapes && i + 1 < pattern.length) {
      i++;
      text += pattern[i];
    } else {
      text += ch;
    }
  }
  flush();
  return tokens;
}

/** Whether `pattern` holds a wildcard in the EQL dialect (`*` or `?`). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

function fold(text: string): string {
  return text.toLowerCase();
}

/** Compile a wildcard pattern into a whole-value matcher. */
export function compileWildcard(pattern: string, options: WildcardOptions): StringMatcher {
  const tokens = tokenize(pattern, options.backslashEscapes === true);
  const ci = options.caseInsensitive;
  const first = tokens[0];
  const last = tokens.at(-1);

  if (tokens.length === 0) return (value) => value === "";
  if (tokens.length === 1 && first?.kind === "star") return () => true;
  if (tokens.length === 1 && first?.kind === "text") {
    const text = first.text;
    if (!ci) return (value) => value === text;
    const folded = fold(text);
    return (value) => fold(value) === folded;
  }
  if (tokens.length === 2 && first?.kind === "text" && last?.kind === "star") {
    const prefix = ci ? fold(first.text) : first.text;
    return ci ? (value) => fold(value).startsWith(prefix) : (value) => value.startsWith(prefix);
  }
  if (tokens.length === 2 && first?.kind === "star" && last?.kind === "text") {
    const suffix = ci ? fold(last.text) : last.text;
    return ci ? (value) => fold(value).endsWith(suffix) : (value) => value.endsWith(suffix);
  }
  if (tokens.length === 3 && first?.kind === "star" && last?.kind === "star" && tokens[1]?.kind === "text") {
    const infix = ci ? fold(tokens[1].text) : tokens[1].text;
    return ci ? (value) => fold(value).includes(infix) : (value) => value.includes(infix);
  }

  let source = "^";
  for (const token of tokens) {
    if (token.kind === "star") source += "[\\s\\S]*";
    else if (token.kind === "one") source += ".";
    else source += escapeRegex(token.text);
  }
  source += "$";
  const regex = new RegExp(source, ci ? "isu" : "su");
  return (value) => regex.test(value);
}
