import { describe, expect, it } from "vitest";
import type { EventQuery } from "./ast";
import { type CompileContext, compileCondition, compileFilter, compileValue } from "./compile-expr";
import { EqlError } from "./errors";
import { parse, parseExpression } from "./parser";
import type { EqlEvent } from "./types";

const DEFAULT: CompileContext = { eventCategoryField: "event.category", caseInsensitive: false };

function holds(condition: string, event: EqlEvent, ctx: Partial<CompileContext> = {}): boolean {
  return compileCondition(parseExpression(condition), { ...DEFAULT, ...ctx })(event);
}

function value(expression: string, event: EqlEvent): unknown {
  return compileValue(parseExpression(expression), DEFAULT)(event);
}

function compileError(condition: string): EqlError {
  try {
    compileCondition(parseExpression(condition), DEFAULT);
  } catch (error) {
    if (error instanceof EqlError) return error;
    throw error;
  }
  throw new Error(`expected ${condition} to be rejected`);
}

// The four shapes of a field every operator is checked against.
const single = { f: "abc", n: 5, b: true };
const multi = { f: ["xyz", "abc"], n: [1, 5], b: [false, true] };
const missing = {};
const explicitNull = { f: null, n: null, b: null };

describe("operators on a field and a constant (query semantics)", () => {
  // [condition, single, multi, missing, null]
  const table: [string, boolean, boolean, boolean, boolean][] = [
    ['f == "abc"', true, true, false, false],
    ['f != "abc"', false, false, true, true],
    ['f != "zzz"', true, true, true, true],
    ['f == "ABC"', false, false, false, false],
    ['f : "ABC"', true, true, false, false],
    ['f : "A*"', true, true, false, false],
    ['f : "*"', true, true, false, false],
    ['f like "a*"', true, true, false, false],
    ['f like "A*"', false, false, false, false],
    ['f like~ "A*"', true, true, false, false],
    ['f regex "a.c"', true, true, false, false],
    ['f regex "A.C"', false, false, false, false],
    ['f regex~ "A.C"', true, true, false, false],
    ['f in ("abc", "q")', true, true, false, false],
    ['f in ("ABC")', false, false, false, false],
    ['f in~ ("ABC")', true, true, false, false],
    ['f not in ("abc")', false, false, true, true],
    ['f not in ("q")', true, true, true, true],
    ['f < "b"', true, true, false, false],
    ['f > "abc"', false, true, false, false],
    ["n == 5", true, true, false, false],
    ["n != 5", false, false, true, true],
    ["n < 2", false, true, false, false],
    ["n >= 5", true, true, false, false],
    ["2 > n", false, true, false, false],
    ["n in (1, 2)", false, true, false, false],
    ["b == true", true, true, false, false],
    ["b == false", false, true, false, false],
    ["b", true, true, false, false],
    ['startsWith(f, "ab")', true, true, false, false],
    ['endsWith(f, "bc")', true, true, false, false],
    ['stringContains(f, "b")', true, true, false, false],
    ['startsWith~(f, "AB")', true, true, false, false],
    ["f == null", false, false, true, true],
    ["f != null", true, true, false, false],
    ["null == f", false, false, true, true],
  ];

  it.each(table)("%s", (condition, onSingle, onMulti, onMissing, onNull) => {
    expect([
      holds(condition, single),
      holds(condition, multi),
      holds(condition, missing),
      holds(condition, explicitNull),
    ]).toEqual([onSingle, onMulti, onMissing, onNull]);
  });

  it.each(table)("not (%s) is the exact negation", (condition) => {
    for (const event of [single, multi, missing, explicitNull]) {
      expect(holds(`not (${condition})`, event)).toBe(!holds(condition, event));
    }
  });

  it("an empty array is a missing field", () => {
    expect(holds('f == "abc"', { f: [] })).toBe(false);
    expect(holds('f != "abc"', { f: [] })).toBe(true);
    expect(holds("f == null", { f: [] })).toBe(true);
  });

  it("comparisons with a null constant other than == and != are never true", () => {
    for (const event of [single, missing]) {
      expect(holds("n > null", event)).toBe(false);
      expect(holds("not (n > null)", event)).toBe(true);
    }
  });
});

describe("types on the query side", () => {
  it("a keyword value matches the string form of a number or boolean", () => {
    expect(holds("f == 100", { f: "100" })).toBe(true);
    expect(holds("f == false", { f: "false" })).toBe(true);
    expect(holds("f in (100)", { f: "100" })).toBe(true);
  });

  it("a number value matches a numeric string and compares by value", () => {
    expect(holds('n == "100"', { n: 100 })).toBe(true);
    expect(holds('n == "abc"', { n: 100 })).toBe(false);
    expect(holds("n == 100.0", { n: 100 })).toBe(true);
    expect(holds("n == 100.5", { n: 100 })).toBe(false);
    expect(holds('n < "200"', { n: 100 })).toBe(true);
  });

  it("a boolean value matches true/false and their strings, nothing else", () => {
    expect(holds("b == false", { b: false })).toBe(true);
    expect(holds("b == false", { b: true })).toBe(false);
    expect(holds('b == "false"', { b: false })).toBe(true);
    expect(holds("b == 0", { b: false })).toBe(false);
  });

  it("patterns match string values only", () => {
    expect(holds('n : "10*"', { n: 100 })).toBe(false);
    expect(holds('n regex "1.*"', { n: 100 })).toBe(false);
    expect(holds('startsWith(n, "1")', { n: 100 })).toBe(false);
  });
});

describe("case sensitivity", () => {
  const upper = { process: { name: "NC" } };
  it(": folds case, == does not", () => {
    expect(holds('process.name : "nc"', upper)).toBe(true);
    expect(holds('process.name == "nc"', upper)).toBe(false);
    expect(holds('process.name : ("nmap", "nc")', upper)).toBe(true);
  });

  it("the caseInsensitive option turns case-sensitive operators and functions into their ~ forms", () => {
    const ci = { caseInsensitive: true };
    expect(holds('process.name == "nc"', upper, ci)).toBe(true);
    expect(holds('process.name != "nc"', upper, ci)).toBe(false);
    expect(holds('process.name in ("nc")', upper, ci)).toBe(true);
    expect(holds('process.name like "n*"', upper, ci)).toBe(true);
    expect(holds('process.name regex "n."', upper, ci)).toBe(true);
    expect(holds('startsWith(process.name, "n")', upper, ci)).toBe(true);
    expect(holds('concat(process.name, "") == "nc"', upper, ci)).toBe(true);
    expect(holds('process.name == "n*"', upper, ci)).toBe(false);
  });

  it("string ranges stay case-sensitive", () => {
    expect(holds('process.name > "a"', upper, { caseInsensitive: true })).toBe(false);
  });
});

describe("wildcards", () => {
  it("== treats * and ? literally; : and like expand them", () => {
    const starry = { f: "star*name?.exe" };
    expect(holds('f == "star*name?.exe"', starry)).toBe(true);
    expect(holds('f == "star*"', starry)).toBe(false);
    expect(holds('f : "star*"', starry)).toBe(true);
    expect(holds('f in ("star*")', starry)).toBe(false);
  });

  it("a backslash in a : pattern is literal", () => {
    expect(holds('f : "C:\\\\Temp\\\\*"', { f: "C:\\Temp\\x.exe" })).toBe(true);
  });

  it("endsWith and stringContains on a field splice their argument into a Lucene wildcard", () => {
    expect(holds('stringContains(f, "*")', { f: "abc" })).toBe(true);
    expect(holds('stringContains(f, "a?c")', { f: "xabcx" })).toBe(true);
    expect(holds('stringContains("abc", "*")', {})).toBe(false);
  });
});

describe("scripts: functions, arithmetic, field against field", () => {
  it("functions over a missing field are null, so the condition is false", () => {
    expect(holds("length(f) > 0", {})).toBe(false);
    expect(holds("length(f) == null", {})).toBe(true);
    expect(holds('concat(f, "x") == null', {})).toBe(true);
  });

  it("not of a script condition is its negation (ES hoists not out of the multi-value loop)", () => {
    expect(holds("not (length(f) > 3)", {})).toBe(true);
    expect(holds("not (length(f) > 3)", { f: "abcd" })).toBe(false);
    expect(holds("not (length(f) > 3)", { f: ["a", "abcd"] })).toBe(false);
  });

  it("a script on a multi-valued field passes when any value makes it true", () => {
    expect(holds("length(f) == 4", { f: ["a", "abcd"] })).toBe(true);
    expect(holds('concat(f, "!") == "a!"', { f: ["a", "abcd"] })).toBe(true);
    expect(holds("n * 2 == 10", { n: [1, 5] })).toBe(true);
  });

  it("each field reference iterates independently", () => {
    expect(holds("a == b", { a: ["x", "y"], b: ["z", "y"] })).toBe(true);
    expect(holds("a == b", { a: ["x"], b: ["z", "w"] })).toBe(false);
    // A script tries every combination of values: x != y holds, so the filter passes.
    expect(holds("a != b", { a: ["x", "y"], b: ["y"] })).toBe(true);
    expect(holds("a != b", { a: ["y"], b: ["y"] })).toBe(false);
    expect(holds("a != b", { a: "x", b: "y" })).toBe(true);
  });

  it("field against field with a missing side is null, so neither == nor != passes", () => {
    expect(holds("a == b", { a: "x" })).toBe(false);
    expect(holds("a != b", { a: "x" })).toBe(false);
    expect(holds("a == b", {})).toBe(false);
  });

  it("field against field compares like types only", () => {
    expect(holds("a == b", { a: 1, b: "1" })).toBe(false);
    expect(holds("a < b", { a: 1, b: 2 })).toBe(true);
    expect(holds("a < b", { a: "b", b: "a" })).toBe(false);
  });

  it("comparisons on a null result: == null is true, others are null", () => {
    expect(holds("(n > -1) == null", {})).toBe(true);
    expect(holds("null == (n > -1)", { n: 0 })).toBe(false);
    expect(holds("n + 1 == null", {})).toBe(true);
    expect(holds("n + 1 == null", { n: 1 })).toBe(false);
  });

  it("and/or inside a script use three-valued logic", () => {
    expect(holds("(n > 1 or true) == true", {})).toBe(true);
    expect(holds("(n > 1 and false) == false", {})).toBe(true);
    expect(holds("(n > 1 and true) == null", {})).toBe(true);
  });

  it("arithmetic follows long and double rules", () => {
    expect(holds("n / 2 == 50", { n: 101 })).toBe(true);
    expect(holds("n / 2.0 == 50", { n: 101 })).toBe(false);
    expect(holds("n % 100 == 1", { n: 101 })).toBe(true);
    expect(holds("-n == -3", { n: 3 })).toBe(true);
    expect(holds("n / 0 == null", { n: 3 })).toBe(true);
    expect(holds("7 / 2 == 3", {})).toBe(true);
    expect(holds("7 / 2.0 == 3.5", {})).toBe(true);
  });

  it("in over a script value: true, else null when something was null", () => {
    expect(holds('string(n) in ("1", "2")', { n: 2 })).toBe(true);
    expect(holds('string(n) in ("1")', { n: 2 })).toBe(false);
    expect(holds('not (string(n) in ("1"))', { n: 2 })).toBe(true);
    expect(holds('string(n) in ("1")', {})).toBe(false);
    expect(holds('concat(f, "") in~ ("ABC")', { f: "abc" })).toBe(true);
  });

  it("patterns over a script value", () => {
    expect(holds('string(n) : "10*"', { n: 100 })).toBe(true);
    expect(holds('string(n) like "1?0"', { n: 100 })).toBe(true);
    expect(holds('substring(f, 1) regex "b.*"', { f: "abc" })).toBe(true);
  });

  it("constants fold before deciding between query and script", () => {
    expect(holds("n == 2 * 50", { n: 100 })).toBe(true);
    expect(holds('n == number("0x64", 16)', { n: 100 })).toBe(true);
  });

  it("cidrMatch on a field and in a script", () => {
    expect(holds('cidrMatch(ip, "10.0.0.0/8")', { ip: ["8.8.8.8", "10.1.1.1"] })).toBe(true);
    expect(holds('cidrMatch(ip, "10.0.0.0/8")', { ip: "not-an-ip" })).toBe(false);
    expect(holds('not cidrMatch(ip, "10.0.0.0/8")', {})).toBe(true);
    expect(holds('cidrMatch(ip, "10.0.0.0/8") == true', { ip: "10.1.1.1" })).toBe(true);
    expect(holds('string(cidrMatch(ip, "10.0.0.0/8")) == "false"', { ip: "11.1.1.1" })).toBe(true);
  });
});

describe("compile-time errors", () => {
  it("an invalid regular expression points at the pattern", () => {
    const error = compileError('f regex "a(b"');
    expect(error.code).toBe("invalid");
    expect(error.column).toBe(9);
  });

  it("an invalid CIDR literal is rejected", () => {
    const error = compileError('cidrMatch(ip, "10.0.0.0/33")');
    expect(error.code).toBe("invalid");
    expect(error.column).toBe(15);
  });

  it("a literal of the wrong type is a type error at the call", () => {
    expect(compileError("length(1) == 1").code).toBe("type");
    expect(compileError('add("a", 1) == 1').code).toBe("type");
  });

  it("an invalid number base is rejected", () => {
    expect(compileError('number("1", 99) == 1').code).toBe("invalid");
  });
});

describe("compileValue", () => {
  it("returns raw field values, arrays for multi-valued fields, undefined when missing", () => {
    expect(value("f", { f: "a" })).toBe("a");
    expect(value("f", { f: ["a", "b"] })).toEqual(["a", "b"]);
    expect(value("f", {})).toBeUndefined();
  });

  it("evaluates expressions with the first value of each field, null when null", () => {
    expect(value('concat(f, "!")', { f: ["a", "b"] })).toBe("a!");
    expect(value("n + 1", { n: 1 })).toBe(2);
    expect(value("n + 1", {})).toBeNull();
  });
});

describe("compileFilter", () => {
  const filter = (text: string, ctx: Partial<CompileContext> = {}) =>
    compileFilter((parse(text) as EventQuery).filter, { ...DEFAULT, ...ctx });

  it("tests the category case-sensitively on any of its values", () => {
    const process = filter("process where true");
    expect(process({ event: { category: "process" } })).toBe(true);
    expect(process({ event: { category: ["process", "network"] } })).toBe(true);
    expect(process({ event: { category: "Process" } })).toBe(false);
    expect(process({})).toBe(false);
  });

  it("any matches events without a category", () => {
    expect(filter("any where true")({})).toBe(true);
  });

  it("uses the configured category field", () => {
    expect(filter("proc where true", { eventCategoryField: "kind" })({ kind: "proc" })).toBe(true);
  });

  it("combines category and condition", () => {
    const f = filter('process where process.name == "nc"');
    expect(f({ event: { category: "process" }, process: { name: "nc" } })).toBe(true);
    expect(f({ event: { category: "network" }, process: { name: "nc" } })).toBe(false);
  });
});

describe("the seed rules' conditions", () => {
  const networkTool = `process where container.id: "*" and event.type== "start" and
(
(process.name: ("nc", "ncat", "nmap", "dig", "nslookup", "tcpdump", "tshark", "ngrep", "telnet", "mitmproxy", "socat", "zmap", "masscan", "zgrab")) or
/*account for tools that execute utilities as a subprocess, in this case the target utility name will appear as a process arg*/
(process.args: ("nc", "ncat", "nmap", "dig", "nslookup", "tcpdump", "tshark", "ngrep", "telnet", "mitmproxy", "socat", "zmap", "masscan", "zgrab"))
)`;
  const interactiveShell = `process where container.id: "*" and
event.type== "start" and

/*D4C consolidates closely spawned event.actions, this excludes end actions to only capture ongoing processes*/
event.action in ("fork", "exec") and event.action != "end"
 and process.entry_leader.same_as_process== false and
(
(process.executable: "*/*sh" and process.args: ("-i", "-it")) or
process.args: "*/*sh"
)`;
  const compile = (text: string) => compileFilter((parse(text) as EventQuery).filter, DEFAULT);
  const event = (fields: Record<string, unknown>): EqlEvent => ({
    event: { category: ["process"], type: ["start"], action: "exec" },
    container: { id: "c1" },
    ...fields,
  });

  describe("network tool in a container", () => {
    const rule = compile(networkTool);
    it("matches the tool by name, in any case", () => {
      expect(rule(event({ process: { name: "nc", args: ["nc", "-l"] } }))).toBe(true);
      expect(rule(event({ process: { name: "NC", args: ["NC"] } }))).toBe(true);
    });
    it("matches the tool as a whole argument only", () => {
      expect(rule(event({ process: { name: "busybox", args: ["busybox", "nmap", "-sS"] } }))).toBe(true);
      expect(rule(event({ process: { name: "sh", args: ["sh", "-c", "nc -l 4444"] } }))).toBe(false);
      expect(rule(event({ process: { name: "nc.openbsd", args: ["nc.openbsd"] } }))).toBe(false);
      expect(rule(event({ process: { name: "x", args: "tcpdump" } }))).toBe(true);
    });
    it("needs a container id (an empty one counts) and a start", () => {
      const nc = { process: { name: "nc" } };
      expect(rule({ ...event(nc), container: { id: "" } })).toBe(true);
      expect(rule({ ...event(nc), container: {} })).toBe(false);
      expect(rule({ ...event(nc), container: { id: null } })).toBe(false);
      expect(rule({ ...event(nc), event: { category: "process", type: "end" } })).toBe(false);
      expect(rule({ ...event(nc), "container.id": "dotted", container: undefined })).toBe(true);
    });
  });

  describe("interactive shell in a container", () => {
    const rule = compile(interactiveShell);
    const shell = (process: Record<string, unknown>, action: unknown = "exec") => ({
      ...event({ process: { entry_leader: { same_as_process: false }, ...process } }),
      event: { category: "process", type: "start", action },
    });
    it("matches a shell executable with -i or -it", () => {
      expect(rule(shell({ executable: "/bin/bash", args: ["bash", "-i"] }))).toBe(true);
      expect(rule(shell({ executable: "/bin/sh", args: ["sh", "-it"] }))).toBe(true);
      expect(rule(shell({ executable: "/usr/bin/ssh", args: ["ssh", "-i"] }))).toBe(true);
      expect(rule(shell({ executable: "/bin/BASH", args: ["BASH", "-I"] }))).toBe(true);
      expect(rule(shell({ executable: "/bin/bash", args: "-i" }, "fork"))).toBe(true);
    });
    it("does not match sh -c or an -i glued to other text", () => {
      expect(rule(shell({ executable: "/bin/sh", args: ["sh", "-c", "id"] }))).toBe(false);
      expect(rule(shell({ executable: "/bin/sh", args: ["sh", "--interactive"] }))).toBe(false);
      expect(rule(shell({ executable: "bash", args: ["bash", "-i"] }))).toBe(false);
    });
    it("matches a shell path passed as an argument", () => {
      expect(rule(shell({ executable: "/usr/bin/env", args: ["env", "/bin/zsh"] }))).toBe(true);
      expect(rule(shell({ executable: "/usr/bin/env", args: ["env", "'/bin/bash' x"] }))).toBe(false);
      expect(rule(shell({ executable: "/usr/bin/python3", args: ["python3", "x.py"] }))).toBe(false);
    });
    it("drops consolidated [exec, end] actions and end actions", () => {
      const args = { executable: "/bin/bash", args: ["bash", "-i"] };
      expect(rule(shell(args, ["exec", "end"]))).toBe(false);
      expect(rule(shell(args, "end"))).toBe(false);
      expect(rule(shell(args, "stop"))).toBe(false);
    });
    it("needs same_as_process to be false, not true or missing", () => {
      const base = shell({ executable: "/bin/bash", args: ["bash", "-i"] });
      expect(rule({ ...base, process: { executable: "/bin/bash", args: ["bash", "-i"] } })).toBe(false);
      expect(
        rule({
          ...base,
          process: { executable: "/bin/bash", args: ["bash", "-i"], entry_leader: { same_as_process: true } },
        }),
      ).toBe(false);
      expect(
        rule({ ...base, process: { executable: "/bin/bash", args: ["-i"], "entry_leader.same_as_process": false } }),
      ).toBe(true);
    });
  });
});
