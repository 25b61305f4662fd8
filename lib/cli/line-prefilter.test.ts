import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePrefilter, parse } from "../eql";
import { linesThatMayMatch, skipUnmatchableLines } from "./line-prefilter";

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
];

describe("linesThatMayMatch", () => {
  it("decides every line of a block as mayMatch decides it alone", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.constantFrom(...queries), (lines, query) => {
        const prefilter = compilePrefilter(parse(query));
        if (!prefilter) return;
        const block = Buffer.from(`${lines.join("\n")}\n`);
        const ends: number[] = [];
        for (let at = block.indexOf(10); at !== -1; at = block.indexOf(10, at + 1)) ends.push(at);
        expect([...linesThatMayMatch(prefilter, block, ends)]).toEqual(
          lines.map((text) => (prefilter.mayMatch(text) ? 1 : 0)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("skipUnmatchableLines", () => {
  const prefilter = compilePrefilter(parse('process where process.name == "nc"'));
  const run = async (text: string | Buffer) => {
    const count = { skipped: 0 };
    const chunks: Buffer[] = [];
    if (!prefilter) throw new Error("no prefilter");
    const input = typeof text === "string" ? Buffer.from(text) : text;
    // Small chunks, so lines straddle them.
    const pieces = Array.from({ length: Math.ceil(input.length / 1000) }, (_, i) =>
      input.subarray(i * 1000, (i + 1) * 1000),
    );
    for await (const chunk of skipUnmatchableLines(
      (async function* () {
        yield* pieces;
      })(),
      prefilter,
      count,
    ))
      chunks.push(chunk);
    return { text: Buffer.concat(chunks).toString("utf8"), skipped: count.skipped };
  };
  // Exactly 70 chunks of 1,000 bytes: past the unfiltered first 64 KiB, and the body starts a chunk of its own.
  const padding = `{"pad":"${"x".repeat(70_000 - 11)}"}\n`;

  it("blanks the lines that cannot match after the head, keeping line numbers", async () => {
    const body = ['{"process":{"name":"bash"}}', '{"process":{"name":"nc"}}', "not json", '{"process":{"name":"zsh"}}'];
    const { text, skipped } = await run(`${padding}${body.join("\n")}\n`);
    expect(text).toBe(`${padding}\n{"process":{"name":"nc"}}\nnot json\n\n`);
    expect(skipped).toBe(2);
  });

  it("passes JSON arrays and gzip on whole", async () => {
    const array = `[\n${padding.trim()},\n{"process":{"name":"bash"}}\n]\n`;
    expect((await run(array)).text).toBe(array);
    const gzip = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect((await run(gzip)).skipped).toBe(0);
  });
});
