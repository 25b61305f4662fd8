import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePrefilter, parse } from "../eql";
import { BlockPrefilter, linesThatMayMatch } from "./line-prefilter";

const words = ["nc", "NC", "nCat", "bash", "/bin/sh", "ſh", "K", "ΟΔΟΣ", 'a"b', "c\\d", "start", "x.y", "a|b"];
const value = fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 5 }), fc.integer(), fc.boolean());
const line = fc
  .record({ name: value, args: fc.array(value, { maxLength: 3 }), category: fc.constantFrom("process", "network") })
  .map(({ name, args, category }) => JSON.stringify({ event: { category }, process: { name, args } }));
const queries = [
  'process where process.name : ("nc", "ncat", "x.y", "a|b")',
  'any where process.name == "nc" or startsWith~(process.args, "BA")',
  'process where process.args like~ "*sh" and process.name != "x"',
  'sequence [process where process.name == "start"] [network where stringContains(process.args, "c")]',
  // Case-sensitive clauses narrow the lines the case-insensitive one reads (sparsely or from line to line).
  'process where process.name == "bash" and process.args : ("nc", "*sh")',
  'process where process.name in ("nc", "bash", "start") and process.args : "nc*" and not process.name == "x"',
];

describe("linesThatMayMatch", () => {
  it("decides every line of a block as mayMatch decides it alone", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.constantFrom(...queries), (lines, query) => {
        const prefilter = compilePrefilter(parse(query));
        if (!prefilter) return;
        const block = Buffer.from(`${lines.join("\n")}\n`);
        const ends: number[] = [];
        for (let at = block.indexOf(10); at !== -1; at = block.indexOf(10, at + 1)) ends.push(at);
        expect([...linesThatMayMatch(prefilter, block, ends)]).toEqual(
          lines.map((text) => (prefilter.mayMatch(text) ? 1 : 0)),
        );
      }),
      { numRuns: 600 },
    );
  });
});

describe("BlockPrefilter", () => {
  const prefilter = compilePrefilter(parse('process where process.name == "bash" and process.args : "nc"'));
  const ends = (block: Buffer) => {
    const found: number[] = [];
    for (let at = block.indexOf(10); at !== -1; at = block.indexOf(10, at + 1)) found.push(at);
    return found;
  };
  const event = (name: string, args: string) =>
    JSON.stringify({ event: { category: "process" }, process: { name, args } });

  it("stops searching a clause nearly every line holds, and still keeps every line that may match", () => {
    if (!prefilter) throw new Error("no prefilter");
    const blocks = new BlockPrefilter(prefilter);
    // Every line holds "process" and "bash"; one in ten holds "nc".
    const lines = Array.from({ length: 10_000 }, (_, i) => event("bash", i % 10 === 0 ? "nc" : "ls"));
    const block = Buffer.from(`${lines.join("\n")}\n`);
    expect(count(blocks.select(block, ends(block)))).toBe(1000);
    // Now only "nc" is searched: a line without "bash" passes (the query rules it out), one without "nc" does not.
    const later = Buffer.from(`${[event("zsh", "nc"), event("bash", "ls")].join("\n")}\n`);
    expect([...blocks.select(later, ends(later))]).toEqual([1, 0]);
    expect([...linesThatMayMatch(prefilter, later, ends(later))]).toEqual([0, 0]);
  });
});

function count(marks: Uint8Array): number {
  return marks.reduce((sum, mark) => sum + mark, 0);
}
