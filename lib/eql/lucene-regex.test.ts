import { describe, expect, it } from "vitest";
import { EqlError } from "./errors";
import { compileLuceneRegex, luceneRegexSource } from "./lucene-regex";

const re = (pattern: string) => compileLuceneRegex(pattern, false, null);
const rei = (pattern: string) => compileLuceneRegex(pattern, true, null);

function invalid(pattern: string): EqlError {
  try {
    re(pattern);
  } catch (error) {
    if (error instanceof EqlError) return error;
    throw error;
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe("Lucene regular expressions", () => {
  it("are anchored at both ends", () => {
    expect(re("cmd")("cmd")).toBe(true);
    expect(re("cmd")("cmd.exe")).toBe(false);
    expect(re("cmd")("xcmd")).toBe(false);
    expect(re(".*cmd.*")("a cmd b")).toBe(true);
  });

  it(". matches any character, newlines included", () => {
    expect(re("a.c")("abc")).toBe(true);
    expect(re("a.c")("a\nc")).toBe(true);
    expect(re("a.c")("a😀c")).toBe(true);
    expect(re("a.c")("ac")).toBe(false);
  });

  it("quantifiers ? * + {n} {n,} {n,m}", () => {
    expect(re("ab?c")("ac")).toBe(true);
    expect(re("ab?c")("abbc")).toBe(false);
    expect(re("ab*c")("abbbc")).toBe(true);
    expect(re("ab+c")("ac")).toBe(false);
    expect(re("a{2}")("aa")).toBe(true);
    expect(re("a{2}")("aaa")).toBe(false);
    expect(re("a{2,}")("aaaa")).toBe(true);
    expect(re("a{2,3}")("aaaa")).toBe(false);
    expect(re("[a-z]{4,15}")("localgroup")).toBe(true);
  });

  it("a ? after a quantifier is another optional, so .*? still matches everything", () => {
    expect(re(".*?net1[ ]+localgroup.*?")("net1  localgroup admins")).toBe(true);
  });

  it("alternation and grouping", () => {
    expect(re("(bash|sh)")("sh")).toBe(true);
    expect(re("(bash|sh)")("zsh")).toBe(false);
    expect(re("a|b")("b")).toBe(true);
    expect(re("x(ab)+y")("xababy")).toBe(true);
    expect(re("a()b")("ab")).toBe(true);
  });

  it("character classes, ranges and negation", () => {
    expect(re("net[0-9]?")("net1")).toBe(true);
    expect(re("[^a-c]")("d")).toBe(true);
    expect(re("[^a-c]")("b")).toBe(false);
    expect(re("[abc-]")("-")).toBe(true);
    expect(re("[\\]x]")("]")).toBe(true);
    expect(re("[.]")("a")).toBe(false);
  });

  it("shorthand classes \\d \\s \\w", () => {
    expect(re("\\d+")("123")).toBe(true);
    expect(re("\\d+")("12a")).toBe(false);
    expect(re("a\\sb")("a b")).toBe(true);
    expect(re("\\w+")("abc_1")).toBe(true);
    expect(re("[\\d]x")("1x")).toBe(true);
  });

  it("escapes make any character literal", () => {
    expect(re("cmd\\.exe")("cmd.exe")).toBe(true);
    expect(re("cmd\\.exe")("cmdxexe")).toBe(false);
    expect(re("C:\\\\Windows")("C:\\Windows")).toBe(true);
    expect(re("a\\@b")("a@b")).toBe(true);
    expect(re("\\/x")("/x")).toBe(true);
  });

  it("quoted strings are literal", () => {
    expect(re('"a.b"c')("a.bc")).toBe(true);
    expect(re('"a.b"c')("axbc")).toBe(false);
  });

  it("@ matches any string and # nothing", () => {
    expect(re("a@")("abc")).toBe(true);
    expect(re("@")("")).toBe(true);
    expect(re("#")("")).toBe(false);
    expect(re("a|#")("a")).toBe(true);
  });

  it("<n-m> numeric intervals", () => {
    const port = re("port<1-1024>");
    expect(port("port1")).toBe(true);
    expect(port("port80")).toBe(true);
    expect(port("port1024")).toBe(true);
    expect(port("port1025")).toBe(false);
    expect(port("port0")).toBe(false);
    expect(port("port080")).toBe(true);
    const fixed = re("<01-10>");
    expect(fixed("05")).toBe(true);
    expect(fixed("10")).toBe(true);
    expect(fixed("5")).toBe(false);
    expect(fixed("11")).toBe(false);
    for (let n = 0; n <= 300; n++) expect(re("<17-251>")(String(n))).toBe(n >= 17 && n <= 251);
  });

  it("complement and intersection around the whole pattern", () => {
    expect(re("~(.*\\.tmp)")("a.tmp")).toBe(false);
    expect(re("~(.*\\.tmp)")("a.txt")).toBe(true);
    expect(re("a.*&.*z")("abz")).toBe(true);
    expect(re("a.*&.*z")("abc")).toBe(false);
  });

  it("a character that cannot start anything else is literal", () => {
    expect(re("*a")("*a")).toBe(true);
    expect(re("]")("]")).toBe(true);
    expect(re("}")("}")).toBe(true);
  });

  it("case-insensitive variant", () => {
    expect(rei("cmd\\.exe")("CMD.EXE")).toBe(true);
    expect(rei("[a-c]+")("ABC")).toBe(true);
    expect(re("[a-c]+")("ABC")).toBe(false);
    expect(rei("multi[0-9]")("MULTI2")).toBe(true);
  });

  it("rejects invalid patterns with an EqlError at the pattern", () => {
    for (const pattern of ["(abc", "abc)", "[abc", "a{2", "a{x}", "a|", '"abc', "[z-a]", "a{3,1}", "<1-x>", "\\"]) {
      const error = invalid(pattern);
      expect(error.code).toBe("invalid");
      expect(error.message).toContain(pattern);
    }
    const span = { start: { line: 2, column: 7, offset: 20 }, end: { line: 2, column: 12, offset: 25 } };
    try {
      compileLuceneRegex("(", false, span);
      expect.unreachable();
    } catch (error) {
      expect((error as EqlError).line).toBe(2);
      expect((error as EqlError).column).toBe(7);
    }
  });

  it("reports complement or intersection inside a larger pattern as unsupported", () => {
    expect(invalid("a~(b)").code).toBe("unsupported");
    expect(invalid("(a&b)c").code).toBe("unsupported");
  });

  it("produces an anchored source", () => {
    expect(luceneRegexSource("ab")).toBe("^(?:ab)$");
  });
});
