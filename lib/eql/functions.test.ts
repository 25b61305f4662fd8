import { describe, expect, it } from "vitest";
import { EqlError } from "./errors";
import {
  arithmetic,
  between,
  cidrMatch,
  compileFieldSubstringQuery,
  concat,
  endsWith,
  indexOf,
  length,
  startsWith,
  stringContains,
  substring,
  toEqlString,
  toNumber,
} from "./functions";
import { parseCidr } from "./ip";
import { compile, run } from "./runner";

describe("between", () => {
  const path = "C:\\Windows\\System32\\cmd.exe";
  it("returns the text between the markers", () => {
    expect(between(path, "System32\\", ".exe", false, false)).toBe("cmd");
  });
  it("is case-sensitive unless asked not to be", () => {
    expect(between(path, "system32\\", ".exe", false, false)).toBe("");
    expect(between(path, "system32\\", ".EXE", false, true)).toBe("cmd");
  });
  it("greedy takes the last right marker, non-greedy the first", () => {
    expect(between(path, "\\", "\\", true, false)).toBe("Windows\\System32");
    expect(between(path, "\\", "\\", false, false)).toBe("Windows");
  });
  it("returns an empty string when a marker is absent or the right marker precedes the left", () => {
    expect(between(path, "zzz", ".exe", false, false)).toBe("");
    expect(between(path, "\\", "zzz", false, false)).toBe("");
    expect(between("a\\b", "b", "\\", true, false)).toBe("");
  });
  it("is null when any string argument is null or not a string", () => {
    expect(between(null, "a", "b", false, false)).toBeNull();
    expect(between("ab", null, "b", false, false)).toBeNull();
    expect(between("ab", "a", null, false, false)).toBeNull();
    expect(between(12, "1", "2", false, false)).toBeNull();
  });
});

describe("concat", () => {
  it("joins string forms", () => {
    expect(concat([100, "::", "cmd.exe", "::", 0], [false, false, false, false, false])).toBe("100::cmd.exe::0");
    expect(concat([true, "!"], [false, false])).toBe("true!");
    expect(concat([7.25], [false])).toBe("7.25");
    expect(concat([2], [true])).toBe("2.0");
  });
  it("is null when any argument is null", () => {
    expect(concat(["a", null], [false, false])).toBeNull();
    expect(concat([null], [false])).toBeNull();
  });
});

describe("string forms", () => {
  it("prints longs, doubles and booleans like Elasticsearch (Java)", () => {
    expect(toEqlString(100)).toBe("100");
    expect(toEqlString(-1)).toBe("-1");
    expect(toEqlString(1.5)).toBe("1.5");
    expect(toEqlString(1, true)).toBe("1.0");
    expect(toEqlString(1.5e10)).toBe("15000000000");
    expect(toEqlString(1.5e10, true)).toBe("1.5E10");
    expect(toEqlString(0.00015)).toBe("1.5E-4");
    expect(toEqlString(0.001)).toBe("0.001");
    expect(toEqlString(false)).toBe("false");
    expect(toEqlString(null)).toBeNull();
  });
});

describe("startsWith, endsWith, stringContains", () => {
  it("are case-sensitive unless asked", () => {
    expect(startsWith("cmd.exe", "cmd", false)).toBe(true);
    expect(startsWith("CMD.exe", "cmd", false)).toBe(false);
    expect(startsWith("CMD.exe", "cmd", true)).toBe(true);
    expect(endsWith("a.JSON", ".json", false)).toBe(false);
    expect(endsWith("a.JSON", ".json", true)).toBe(true);
    expect(stringContains("net1 localgroup", "localgroup", false)).toBe(true);
    expect(stringContains("net1 LOCALGROUP", "localgroup", false)).toBe(false);
    expect(stringContains("net1 LOCALGROUP", "localgroup", true)).toBe(true);
  });
  it("treat the empty string as a prefix, suffix and part of everything", () => {
    expect(startsWith("x", "", false)).toBe(true);
    expect(endsWith("x", "", false)).toBe(true);
    expect(stringContains("x", "", false)).toBe(true);
  });
  it("treat * literally when evaluated as a script", () => {
    expect(stringContains("abc", "*", false)).toBe(false);
  });
  it("are null for null arguments", () => {
    expect(startsWith(null, "a", false)).toBeNull();
    expect(endsWith("a", null, false)).toBeNull();
    expect(stringContains(null, null, true)).toBeNull();
  });
});

describe("field substring queries (Lucene wildcard dialect)", () => {
  it("splice the argument into a wildcard unescaped", () => {
    expect(compileFieldSubstringQuery("stringContains", "*", false)("anything")).toBe(true);
    expect(compileFieldSubstringQuery("stringContains", "oami", false)("whoami")).toBe(true);
    expect(compileFieldSubstringQuery("stringContains", "a?c", false)("xabcx")).toBe(true);
    expect(compileFieldSubstringQuery("endsWith", ".exe", false)("cmd.exe")).toBe(true);
    expect(compileFieldSubstringQuery("endsWith", ".exe", false)("cmd.exe.bak")).toBe(false);
    expect(compileFieldSubstringQuery("endsWith", ".EXE", true)("cmd.exe")).toBe(true);
  });
});

describe("indexOf", () => {
  it("finds the first occurrence at or after start", () => {
    expect(indexOf("cmd.exe", "exe", null, false)).toBe(4);
    expect(indexOf("explorer.exe", "e", 5, false)).toBe(6);
    expect(indexOf("cmd.exe", "exe", 4, false)).toBe(4);
    expect(indexOf("cmd.exe", "EXE", 0, true)).toBe(4);
  });
  it("is null when not found or start is past the match", () => {
    expect(indexOf("cmd.exe", "zzz", null, false)).toBeNull();
    expect(indexOf("cmd.exe", "cmd", 1, false)).toBeNull();
    expect(indexOf("cmd.exe", "cmd", 100, false)).toBeNull();
  });
  it("treats a negative start as 0", () => {
    expect(indexOf("cmd", "c", -5, false)).toBe(0);
  });
  it("is null for null source or needle", () => {
    expect(indexOf(null, "a", 0, false)).toBeNull();
    expect(indexOf("a", null, 0, false)).toBeNull();
  });
});

describe("length", () => {
  it("counts UTF-16 units like Java", () => {
    expect(length("bash")).toBe(4);
    expect(length("")).toBe(0);
    expect(length("😀")).toBe(2);
    expect(length(null)).toBeNull();
    expect(length(12)).toBeNull();
  });
});

describe("substring", () => {
  it("slices like Python", () => {
    expect(substring("cmd.exe", 0, 3)).toBe("cmd");
    expect(substring("bash", 1, 3)).toBe("as");
    expect(substring("cmd.exe", -4, null)).toBe(".exe");
    expect(substring("cmd.exe", -4, -1)).toBe(".ex");
    expect(substring("sh", 10, null)).toBe("");
    expect(substring("abc", 2, 1)).toBe("");
    expect(substring("abc", -10, 2)).toBe("ab");
    expect(substring("abc", 0, 99)).toBe("abc");
  });
  it("is null for a null source", () => {
    expect(substring(null, 0, 1)).toBeNull();
  });
});

describe("number", () => {
  it("reads decimal integers and fractions", () => {
    expect(toNumber("100", null)).toBe(100);
    expect(toNumber("-7", 10)).toBe(-7);
    expect(toNumber("42.5", null)).toBe(42.5);
    expect(toNumber(" 12 ", null)).toBe(12);
    expect(toNumber("1e3", null)).toBe(1000);
  });
  it("reads other bases, with an optional 0x for base 16", () => {
    expect(toNumber("0x64", 16)).toBe(100);
    expect(toNumber("64", 16)).toBe(100);
    expect(toNumber("ff", 16)).toBe(255);
    expect(toNumber("100", 16)).toBe(256);
    expect(toNumber("50", 13)).toBe(65);
    expect(toNumber("-101", 2)).toBe(-5);
  });
  it("is null for unreadable text, bad bases and null", () => {
    expect(toNumber("abc", null)).toBeNull();
    expect(toNumber("12", 2)).toBeNull();
    expect(toNumber("0x", 16)).toBeNull();
    expect(toNumber("1", 1)).toBeNull();
    expect(toNumber(null, 10)).toBeNull();
    expect(toNumber("0x10", 10)).toBeNull();
  });
});

describe("arithmetic", () => {
  it("keeps longs integral and truncates division toward zero", () => {
    expect(arithmetic("/", 101, 2, false)).toBe(50);
    expect(arithmetic("/", -7, 2, false)).toBe(-3);
    expect(arithmetic("%", -7, 3, false)).toBe(-1);
    expect(arithmetic("%", 11, 10, false)).toBe(1);
  });
  it("uses doubles when either side is a double", () => {
    expect(arithmetic("/", 101, 2, true)).toBe(50.5);
    expect(arithmetic("/", 7, 2.5, false)).toBe(2.8);
    expect(arithmetic("+", 1.5, 0.5, false)).toBe(2);
  });
  it("is null for null or non-numeric operands and long division by zero", () => {
    expect(arithmetic("+", null, 1, false)).toBeNull();
    expect(arithmetic("*", 2, "3", false)).toBeNull();
    expect(arithmetic("/", 1, 0, false)).toBeNull();
    expect(arithmetic("%", 1, 0, false)).toBeNull();
    expect(arithmetic("/", 1, 0, true)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("cidrMatch", () => {
  const block = parseCidr("10.0.0.0/8");
  if (block === null) throw new Error("fixture");
  it("is true inside, false outside or for a non-address, null for null", () => {
    expect(cidrMatch("10.1.1.1", [block])).toBe(true);
    expect(cidrMatch("11.1.1.1", [block])).toBe(false);
    expect(cidrMatch("not-an-ip", [block])).toBe(false);
    expect(cidrMatch(null, [block])).toBeNull();
  });
});

describe("unknown functions and wrong arity", () => {
  const rejection = (condition: string) => {
    try {
      compile(`process where ${condition}`);
    } catch (error) {
      if (error instanceof EqlError) return { code: error.code, message: error.reason };
      throw error;
    }
    throw new Error(`${condition} should be rejected`);
  };

  it("suggests the function a name most likely meant", () => {
    expect(rejection("strlen(process.name) == 3").message).toBe('unknown function "strlen", did you mean "length"?');
    expect(rejection('startwith(process.name, "a")').message).toBe(
      'unknown function "startwith", did you mean "startsWith"?',
    );
    expect(rejection("lenght(process.name) == 1").message).toContain('did you mean "length"?');
    expect(rejection("frobnicate(process.name)").message).toBe('unknown function "frobnicate"');
  });

  it("resolves a function name written in any case, as Elasticsearch does", () => {
    const events = [{ event: { category: "process" }, process: { name: "cmd.exe", pid: 7 } }];
    for (const query of [
      'process where STARTSWITH(process.name, "cmd")',
      'process where startswith~(process.name, "CMD")',
      'process where CONCAT(process.pid, "/", process.name) == "7/cmd.exe"',
      'process where cidrmatch("10.1.2.3", "10.0.0.0/8")',
      "process where Length(process.name) == 7",
    ]) {
      expect(run(query, events), query).toHaveLength(1);
    }
    expect(rejection("LENGTH~(process.name) == 1")).toMatchObject({ code: "unknown_function" });
    expect(rejection("Length(process.name, 2) == 1").message).toBe("length() takes 1 argument, found 2");
  });

  it("refuses ~ on functions that have no case-insensitive form, and too many arguments", () => {
    expect(rejection("length~(process.name) == 1")).toMatchObject({ code: "unknown_function" });
    expect(rejection("length(process.name, 2) == 1")).toEqual({
      code: "arity",
      message: "length() takes 1 argument, found 2",
    });
    expect(rejection('between(process.name, "a", "b", true, 1) == ""').message).toBe(
      "between() takes at most 4 arguments, found 5",
    );
  });
});
