import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fieldTypesFromMapping } from "./field-types";
import { parse } from "./parser";
import { compilePrefilter } from "./prefilter";
import { run } from "./runner";
import type { EqlEvent, EqlOptions, EqlResult } from "./types";

const prefilterOf = (query: string, options: EqlOptions = {}) => compilePrefilter(parse(query), options);

describe("compilePrefilter", () => {
  it("takes the strings a matching event's line must hold", () => {
    expect(prefilterOf('process where process.name in ("nc", "ncat") and user.name == "root"')?.requirements).toEqual([
      [['"process"'], ['"nc"', '"ncat"'], ['"root"']],
    ]);
    expect(
      prefilterOf('any where process.name : "*NetCat*" or startsWith(process.title, "nmap")')?.requirements,
    ).toEqual([[["netcat", '"nmap']]]);
    expect(prefilterOf('sequence [process where true] [network where x == "y"]')?.requirements).toEqual([
      [['"process"']],
      [['"network"'], ['"y"']],
    ]);
  });

  it("anchors a literal on the quote of the side where the value must start or end with it", () => {
    expect(prefilterOf('any where f : ("/tmp/*", "*/*sh", "a*bc?d", "*x*")')?.requirements).toEqual([
      [['"/tmp/', 'sh"', '"a', "x"]],
    ]);
    expect(
      prefilterOf('any where f like "ab*cdef" and endsWith(g, "sh") and stringContains(h, "zz")')?.requirements,
    ).toEqual([[['cdef"'], ['sh"'], ["zz"]]]);
    const filter = prefilterOf('any where process.name : ("nc", "/tmp/*")');
    expect(filter?.mayMatch('{"process":{"name":"sync","args":["-nc"]}}')).toBe(false);
    expect(filter?.mayMatch('{"process":{"name":"NC"}}')).toBe(true);
    expect(filter?.mayMatch('{"process":{"name":"x/tmp/y"}}')).toBe(false);
    expect(filter?.mayMatch('{"process":{"name":"/TMP/y"}}')).toBe(true);
  });

  it("gives nothing where a query can match without a literal", () => {
    expect(prefilterOf("any where length(process.name) > 3")).toBeNull();
    expect(prefilterOf('any where process.name != "nc"')).toBeNull();
    expect(prefilterOf('any where process.pid == "100"')).toBeNull(); // also matches the number 100
    expect(prefilterOf('sequence [process where true] [any where not x : "y"]')).toBeNull();
    const dates = fieldTypesFromMapping({
      properties: { when: { type: "date" }, nv: { type: "keyword", null_value: "NONE" } },
    });
    expect(prefilterOf('any where when == "2024-01-01"', { fieldTypes: dates })).toBeNull();
    expect(prefilterOf('any where nv == "NONE"', { fieldTypes: dates })).toBeNull();
  });

  it("lets through lines with escapes and, for case-insensitive literals, non-ASCII lines", () => {
    const filter = prefilterOf('any where process.name : "nc"');
    expect(filter?.mayMatch('{"process":{"name":"NC"}}')).toBe(true);
    expect(filter?.mayMatch('{"process":{"name":"bash"}}')).toBe(false);
    expect(filter?.mayMatch('{"process":{"name":"\\u006ec"}}')).toBe(true);
    expect(filter?.mayMatch('{"process":{"name":"bash","x":"é"}}')).toBe(true);
  });
});

// ------------------------------------------------------------ prefiltered and full runs agree

const words = [
  "nc",
  "NC",
  "ncat",
  "sync",
  "xnc",
  "bash",
  "/bin/sh",
  "/usr/bin/nc",
  "sh",
  "ſh",
  "K",
  "ΟΔΟΣ",
  'a"b',
  "c\\d",
  "100",
  "true",
];
const scalar = fc.oneof(
  fc.constantFrom(...words),
  fc.constantFrom(100, 1e2, 0, 3.5, true, false, null),
  fc.string({ maxLength: 4 }),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const eventArbitrary = fc
  .record(
    {
      category: fc.constantFrom("process", "network", "Process", ["process", "file"]),
      name: value,
      args: value,
      host: fc.constantFrom("h1", "h2"),
      dotted: fc.boolean(),
      seconds: fc.nat(50),
    },
    { requiredKeys: ["category", "host", "dotted", "seconds"] },
  )
  .map(({ category, name, args, host, dotted, seconds }) => {
    const event: EqlEvent = {
      "@timestamp": 1_700_000_000_000 + seconds * 1000,
      event: { category },
      host: { name: host },
    };
    if (dotted) event["process.name"] = name;
    else event.process = { name, ...(args === undefined ? {} : { args }) };
    return event;
  });

const literal = fc.constantFrom(...words.filter((word) => !word.includes('"') && !word.includes("\\")), "n", "sh", "*");
const condition: fc.Arbitrary<string> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    literal.map((text) => `process.name == "${text}"`),
    literal.map((text) => `process.name : "${text}"`),
    literal.map((text) => `process.name : "*${text}"`),
    literal.map((text) => `process.args like~ "${text}*"`),
    literal.map((text) => `process.args : "${text}?"`),
    literal.map((text) => `process.name like "*${text}"`),
    fc.tuple(literal, literal).map(([a, b]) => `process.name in~ ("${a}", "${b}")`),
    literal.map((text) => `startsWith~(process.name, "${text}")`),
    literal.map((text) => `endsWith(process.args, "${text}")`),
    literal.map((text) => `stringContains~(process.name, "${text}")`),
    literal.map((text) => `process.name != "${text}"`),
    fc.constant("length(process.name) > 2"),
    fc.constant("true"),
  ),
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc.tuple(tie("node"), tie("node")).map(([a, b]) => `(${a} and ${b})`),
    fc.tuple(tie("node"), tie("node")).map(([a, b]) => `(${a} or ${b})`),
    tie("leaf").map((a) => `not ${a}`),
  ),
})).node as fc.Arbitrary<string>;
const category = fc.constantFrom("process", "network", "any", "Process");
const query = fc.oneof(
  fc.tuple(category, condition).map(([cat, cond]) => `${cat} where ${cond}`),
  fc
    .tuple(category, condition, category, condition)
    .map(([c1, q1, c2, q2]) => `sequence by host.name [${c1} where ${q1}] [${c2} where ${q2}]`),
  fc
    .tuple(category, condition, category, condition)
    .map(([c1, q1, c2, q2]) => `sample by host.name [${c1} where ${q1}] [${c2} where ${q2}]`),
);

const summary = (results: EqlResult[]) =>
  results.map((result) => (result.kind === "event" ? [result.event] : result.events));

describe("prefiltered and full runs", () => {
  it("give the same results for generated events and queries", () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 25 }), query, fc.boolean(), (events, text, caseInsensitive) => {
        const options: EqlOptions = { caseInsensitive };
        const filter = compilePrefilter(parse(text), options);
        const kept = filter ? events.filter((event) => filter.mayMatch(JSON.stringify(event))) : events;
        expect(summary(run(text, kept, options))).toEqual(summary(run(text, events, options)));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});
