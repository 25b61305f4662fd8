import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileWildcard, hasWildcard } from "./wildcard";

const cs = (pattern: string) => compileWildcard(pattern, { caseInsensitive: false });
const ci = (pattern: string) => compileWildcard(pattern, { caseInsensitive: true });

describe("compileWildcard", () => {
  it("exact patterns compare whole values", () => {
    expect(cs("nc")("nc")).toBe(true);
    expect(cs("nc")("ncat")).toBe(false);
    expect(cs("nc")("NC")).toBe(false);
    expect(ci("nc")("NC")).toBe(true);
    expect(cs("")("")).toBe(true);
    expect(cs("")("a")).toBe(false);
  });

  it("* alone matches every string, the empty one too", () => {
    expect(cs("*")("")).toBe(true);
    expect(cs("*")("anything")).toBe(true);
    expect(cs("**")("x")).toBe(true);
  });

  it("prefix, suffix and infix shapes", () => {
    expect(cs("cmd*")("cmd.exe")).toBe(true);
    expect(cs("cmd*")("CMD.exe")).toBe(false);
    expect(ci("cmd*")("CMD.exe")).toBe(true);
    expect(cs("*.exe")("cmd.exe")).toBe(true);
    expect(cs("*.exe")("cmd.EXE")).toBe(false);
    expect(ci("*.exe")("cmd.EXE")).toBe(true);
    expect(cs("*who*")("whoami")).toBe(true);
    expect(ci("*WHO*")("x whoami")).toBe(true);
    expect(cs("*who*")("wh")).toBe(false);
  });

  it("general patterns with several * and ?", () => {
    expect(cs("*/*sh")("/usr/bin/ssh")).toBe(true);
    expect(cs("*/*sh")("/bin/bash")).toBe(true);
    expect(cs("*/*sh")("bash")).toBe(false);
    expect(cs("*/*sh")("/bin/sh")).toBe(true);
    expect(cs("n*t*.exe")("net1.exe")).toBe(true);
    expect(cs("net?.exe")("net1.exe")).toBe(true);
    expect(cs("net?.exe")("net.exe")).toBe(false);
    expect(cs("net?.exe")("net12.exe")).toBe(false);
  });

  it("? matches one code point, also outside the BMP", () => {
    expect(cs("a?b")("a😀b")).toBe(true);
    expect(cs("?n?c?d?.exe")("ünïcødé.exe")).toBe(true);
  });

  it("regex metacharacters in patterns are literal", () => {
    expect(cs("notes [*].txt")("notes [draft].txt")).toBe(true);
    expect(cs("a.c*")("abc")).toBe(false);
    expect(cs("(a|b)*")("(a|b)x")).toBe(true);
    expect(cs("*%*")("dir %TEMP%")).toBe(true);
    expect(cs("a-b?")("a-bc")).toBe(true);
  });

  it("a backslash is literal in EQL patterns", () => {
    expect(cs("C:\\Temp\\*")("C:\\Temp\\x.exe")).toBe(true);
    expect(cs("back\\*")("back\\slash")).toBe(true);
    expect(cs("back\\*")("back*")).toBe(false);
  });

  it("a backslash escapes in the Lucene dialect", () => {
    const lucene = (p: string) => compileWildcard(p, { caseInsensitive: false, backslashEscapes: true });
    expect(lucene("a\\*b")("a*b")).toBe(true);
    expect(lucene("a\\*b")("axxb")).toBe(false);
    expect(lucene("*\\?")("why?")).toBe(true);
    expect(lucene("*\\?")("why!")).toBe(false);
  });

  it("newlines are ordinary characters", () => {
    expect(cs("a*b")("a\nb")).toBe(true);
    expect(cs("a?b")("a\nb")).toBe(true);
  });

  it("hasWildcard", () => {
    expect(hasWildcard("a*")).toBe(true);
    expect(hasWildcard("a?")).toBe(true);
    expect(hasWildcard("abc")).toBe(false);
  });

  it("agrees with a reference matcher on random patterns", () => {
    const alphabet = fc.constantFrom("a", "b", "*", "?", ".", "\\");
    const reference = (pattern: string, value: string): boolean => {
      const p = Array.from(pattern);
      const v = Array.from(value);
      const memo = new Map<string, boolean>();
      const go = (i: number, j: number): boolean => {
        const key = `${i},${j}`;
        const known = memo.get(key);
        if (known !== undefined) return known;
        let result: boolean;
        if (i === p.length) result = j === v.length;
        else if (p[i] === "*") result = go(i + 1, j) || (j < v.length && go(i, j + 1));
        else if (j === v.length) result = false;
        else result = (p[i] === "?" || p[i] === v[j]) && go(i + 1, j + 1);
        memo.set(key, result);
        return result;
      };
      return go(0, 0);
    };
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 6 }).map((a) => a.join("")),
        fc.array(fc.constantFrom("a", "b", ".", "*", "\\"), { maxLength: 6 }).map((a) => a.join("")),
        (pattern, value) => cs(pattern)(value) === reference(pattern, value),
      ),
    );
  });
});
