import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBuiltinRules } from "@/lib/rules/load";
import { type HighlightPiece, highlightEql } from "./eql-highlight";

const joined = (pieces: HighlightPiece[]) => pieces.map((piece) => piece.text).join("");

/** Pieces as "kind:text" without the whitespace between tokens, to compare compactly. */
const coloured = (pieces: HighlightPiece[]) =>
  pieces.filter((piece) => piece.text.trim() !== "").map((piece) => `${piece.kind}:${piece.text}`);

/** Characters EQL gives meaning to, so generated text often forms (and breaks) real tokens. */
const EQL_CHARS = [..."abcwhereinlk_.:()[]|\"'`\\~/*-+=!<>,0123456789eE \n\t\r{}u"];

describe("highlightEql keeps every character, in order", () => {
  it("for arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (text) => {
        expect(joined(highlightEql(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("for text made of EQL's own characters (half-typed strings, comments, escapes)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...EQL_CHARS), maxLength: 120 }), (text) => {
        const pieces = highlightEql(text);
        expect(joined(pieces)).toBe(text);
        expect(pieces.every((piece) => piece.text !== "")).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  describe("for the built-in rules' queries and every prefix of them (as typed)", () => {
    let queries: string[] = [];
    beforeAll(async () => {
      queries = (await loadBuiltinRules()).map((rule) => rule.query);
    });

    it("has the built-in queries", () => {
      expect(queries.length).toBeGreaterThanOrEqual(3);
    });

    it("joins back to each query and each prefix", () => {
      for (const query of queries) {
        for (let end = 0; end <= query.length; end++) {
          const prefix = query.slice(0, end);
          expect(joined(highlightEql(prefix))).toBe(prefix);
        }
        expect(highlightEql(query).some((piece) => piece.kind === "invalid")).toBe(false);
      }
    });
  });
});

describe("highlightEql colours", () => {
  it("a sequence with keywords, fields, strings, numbers, functions and comments", () => {
    const query = [
      "sequence by host.id with maxspan=30s",
      '  [process where process.name : "sh" and length(process.args) > 2] with runs=3',
      "  /* then */ [network where not destination.port in (22, 443)] // note",
      "| head 5",
    ].join("\n");
    const pieces = highlightEql(query);
    expect(joined(pieces)).toBe(query);
    expect(coloured(pieces)).toEqual([
      "keyword:sequence",
      "keyword:by",
      "field:host.id",
      "keyword:with",
      "keyword:maxspan",
      "operator:=",
      "number:30s",
      "operator:[",
      "category:process",
      "keyword:where",
      "field:process.name",
      "operator::",
      'string:"sh"',
      "keyword:and",
      "function:length",
      "operator:(",
      "field:process.args",
      "operator:)",
      "operator:>",
      "number:2",
      "operator:]",
      "keyword:with",
      "keyword:runs",
      "operator:=",
      "number:3",
      "comment:/* then */",
      "operator:[",
      "category:network",
      "keyword:where",
      "keyword:not",
      "field:destination.port",
      "keyword:in",
      "operator:(",
      "number:22",
      "operator:,",
      "number:443",
      "operator:)]",
      "comment:// note",
      "operator:|",
      "function:head",
      "number:5",
    ]);
  });

  it("case-insensitive operators and functions, raw strings and backquoted names", () => {
    const query = 'any where `my field` like~ """C:\\x""" and startsWith~(a, "b") or true == null';
    expect(coloured(highlightEql(query))).toEqual([
      "keyword:any",
      "keyword:where",
      "field:`my field`",
      "keyword:like~",
      'string:"""C:\\x"""',
      "keyword:and",
      "function:startsWith~",
      "operator:(",
      "field:a",
      "operator:,",
      'string:"b"',
      "operator:)",
      "keyword:or",
      "keyword:true",
      "operator:==",
      "keyword:null",
    ]);
  });

  it("leaves an unclosed string uncoloured to the end of its line, and colours the next line again", () => {
    const pieces = highlightEql('process where a == "unclosed and b\nor c == 1');
    expect(coloured(pieces)).toEqual([
      "category:process",
      "keyword:where",
      "field:a",
      "operator:==",
      'invalid:"unclosed and b',
      "keyword:or",
      "field:c",
      "operator:==",
      "number:1",
    ]);
  });

  it("treats a bad escape inside a string as the string being unfinished", () => {
    expect(coloured(highlightEql('a == "x\\q" and b'))).toEqual(["field:a", "operator:==", 'invalid:"x\\q" and b']);
  });

  it("colours an unclosed block comment as invalid, not as code", () => {
    expect(coloured(highlightEql("a /* not closed"))).toEqual(["field:a", "invalid:/* not closed"]);
  });
});
