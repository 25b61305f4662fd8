import { isEqlError, type Token, tokenize } from "@/lib/eql";

/**
 * Splits EQL text into coloured pieces for the query editor, using the
 * engine's own lexer so the colours agree with what the engine parses.
 *
 * The one invariant: the pieces' texts joined are exactly the input. The
 * highlight layer sits under the textarea, so a missing or extra character
 * would shift every later character away from the caret.
 */

export type HighlightKind =
  | "keyword"
  | "string"
  | "number"
  | "field"
  | "function"
  | "category"
  | "operator"
  | "comment"
  | "plain"
  | "invalid";

export interface HighlightPiece {
  text: string;
  kind: HighlightKind;
}

export function highlightEql(text: string): HighlightPiece[] {
  const pieces: HighlightPiece[] = [];
  let from = 0;
  while (from < text.length) {
    const rest = text.slice(from);
    const lexed = lexLongestPrefix(rest);
    pushTokens(pieces, rest, lexed.tokens, lexed.end);
    if (lexed.end >= rest.length) break;
    // The lexer stopped (an unclosed string, a stray character): the rest of
    // that line is shown uncoloured, and lexing starts over on the next line
    // so one typo does not uncolour the whole query.
    const newline = rest.indexOf("\n", lexed.end);
    const stop = newline < 0 ? rest.length : newline;
    push(pieces, rest.slice(lexed.end, stop), "invalid");
    from += stop;
    if (newline >= 0) {
      push(pieces, "\n", "plain");
      from += 1;
    }
  }
  return merge(pieces);
}

/**
 * Tokens of the longest prefix the lexer accepts, and where that prefix ends.
 * The lexer reports where it failed; cutting there leaves an earlier failure
 * only when the bad spot is inside a token (a bad escape inside a string),
 * so this loop ends after a few rounds.
 */
function lexLongestPrefix(text: string): { tokens: Token[]; end: number } {
  let end = text.length;
  for (;;) {
    try {
      return { tokens: tokenize(text.slice(0, end)), end };
    } catch (error) {
      if (!isEqlError(error)) throw error;
      const at = error.span?.start.offset ?? 0;
      // Never retry the same length: a failure at the end would loop forever.
      end = Math.min(at, end - 1);
      if (end <= 0) return { tokens: [], end: 0 };
    }
  }
}

/** Adds the tokens and the trivia (whitespace, comments) between them, up to `end`. */
function pushTokens(pieces: HighlightPiece[], text: string, tokens: Token[], end: number): void {
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === "eof") break;
    pushTrivia(pieces, text.slice(at, token.span.start.offset));
    push(pieces, text.slice(token.span.start.offset, token.span.end.offset), kindOf(tokens, i));
    at = token.span.end.offset;
  }
  pushTrivia(pieces, text.slice(at, end));
}

/** Text between tokens holds only whitespace and comments (that is all the lexer skips). */
function pushTrivia(pieces: HighlightPiece[], trivia: string): void {
  let at = 0;
  while (at < trivia.length) {
    if (trivia.startsWith("//", at)) {
      const newline = trivia.indexOf("\n", at);
      const stop = newline < 0 ? trivia.length : newline;
      push(pieces, trivia.slice(at, stop), "comment");
      at = stop;
    } else if (trivia.startsWith("/*", at)) {
      const close = trivia.indexOf("*/", at + 2);
      const stop = close < 0 ? trivia.length : close + 2;
      push(pieces, trivia.slice(at, stop), "comment");
      at = stop;
    } else {
      const next = nextComment(trivia, at);
      push(pieces, trivia.slice(at, next), "plain");
      at = next;
    }
  }
}

function nextComment(trivia: string, from: number): number {
  const line = trivia.indexOf("//", from);
  const block = trivia.indexOf("/*", from);
  const found = [line, block].filter((index) => index >= 0);
  return found.length === 0 ? trivia.length : Math.min(...found);
}

function kindOf(tokens: Token[], index: number): HighlightKind {
  const token = tokens[index] as Token;
  const previous = tokens[index - 1];
  const next = tokens[index + 1];
  switch (token.kind) {
    case "keyword":
      return "keyword";
    case "string":
      return "string";
    case "integer":
    case "float":
      return "number";
    case "tilde_ident":
      return "function";
    case "quoted_ident":
      return "field";
    case "ident":
      // `maxspan=30s`: the unit the lexer reads as a name is part of the duration.
      if (!token.spaced && (previous?.kind === "integer" || previous?.kind === "float")) return "number";
      // `with runs=3` on a sequence term: `runs` is a plain name to the lexer, a keyword to the reader.
      if (token.text === "runs" && previous?.kind === "keyword" && previous.text === "with") return "keyword";
      if (next?.kind === "op" && next.text === "(" && !next.spaced) return "function";
      if (previous?.kind === "op" && previous.text === "|") return "function";
      if (next?.kind === "keyword" && next.text === "where") return "category";
      return "field";
    case "op":
      // The dots of `process.parent.name` belong to the field name.
      if (token.text === "." && isNamePart(previous) && isNamePart(next) && !next?.spaced && !token.spaced)
        return "field";
      return "operator";
    default:
      return "plain";
  }
}

function isNamePart(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === "ident" || token.kind === "quoted_ident" || token.text === "]");
}

function push(pieces: HighlightPiece[], text: string, kind: HighlightKind): void {
  if (text !== "") pieces.push({ text, kind });
}

/** Neighbours of the same kind become one piece, so the overlay renders fewer spans. */
function merge(pieces: HighlightPiece[]): HighlightPiece[] {
  const merged: HighlightPiece[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last && last.kind === piece.kind) last.text += piece.text;
    else merged.push({ ...piece });
  }
  return merged;
}
