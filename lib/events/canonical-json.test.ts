import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCanonicalJson } from "./canonical-json";

const roundTrips = (text: string) => JSON.stringify(JSON.parse(text)) === text;

/** Characters that JSON spells in more than one way, or that JSON.stringify escapes. */
const trickyChar = fc.constantFrom(
  '"',
  "\\",
  "/",
  "\n",
  "\t",
  "\b",
  "\f",
  "\r",
  "\u0000",
  "\u001f",
  "\u007f",
  "\u2028",
  "é",
  "😀",
  "\ud83d",
  "\ude00",
  "0",
  "a",
  ".",
);
const trickyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: trickyChar, maxLength: 6 }),
);
const trickyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 2 ** 53, 2 ** 53 + 2, 123456789012345, 1234567890123456),
);
const trickyKey = fc.oneof(trickyString, fc.constantFrom("0", "1", "01", "42", "-1", "1.5", "a", "__proto__", ""));

const { json: trickyJson } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small" },
    trickyString,
    trickyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("json"), { maxLength: 4 }),
    fc.dictionary(trickyKey, tie("json"), { maxKeys: 4 }),
  ),
}));

/** Writes a value as JSON, choosing among equivalent spellings with `choose` (0..1). */
function writeLoosely(value: unknown, choose: () => number): string {
  const space = () => (choose() < 0.05 ? [" ", "\n", "\t", "\r"][Math.floor(choose() * 4)]! : "");
  const string = (text: string) => {
    let out = '"';
    for (const char of text) {
      const roll = choose();
      if (roll < 0.1) out += [...char].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
      else if (roll < 0.15 && char === "/") out += "\\/";
      else if (roll < 0.5 && /^[\ud800-\udfff]$/.test(char))
        out += char; // a lone surrogate, unescaped
      else out += JSON.stringify(char).slice(1, -1);
    }
    return `${out}"`;
  };
  const number = (n: number) => {
    const roll = choose();
    const plainInteger = Number.isInteger(n) && Math.abs(n) < 1e15;
    if (roll < 0.05 && plainInteger) return `${n}.0`;
    if (roll < 0.1 && plainInteger) return `${n}e0`;
    if (roll < 0.4 && n === 0) return "-0";
    return JSON.stringify(n);
  };
  const write = (node: unknown): string => {
    if (typeof node === "string") return string(node);
    if (typeof node === "number") return number(node);
    if (node === null || typeof node === "boolean") return String(node);
    if (Array.isArray(node))
      return `[${space()}${node.map((item) => write(item)).join(`${space()},${space()}`)}${space()}]`;
    const pairs = Object.entries(node as Record<string, unknown>).map(
      ([key, item]) => `${string(key)}${space()}:${space()}${write(item)}`,
    );
    // Sometimes the keys out of order: JavaScript puts integer-like keys first, in ascending order.
    if (choose() < 0.3) pairs.reverse();
    // Sometimes a key twice: JSON.parse keeps the last value, JSON.stringify writes the key once.
    if (pairs.length > 0 && choose() < 0.1) pairs.unshift(pairs[Math.floor(choose() * pairs.length)]!);
    return `{${space()}${pairs.join(`${space()},${space()}`)}${space()}}`;
  };
  return `${space()}${write(value)}${space()}`;
}

function chooser(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("isCanonicalJson", () => {
  it("never says yes to a text that JSON.stringify would write differently", () => {
    fc.assert(
      fc.property(trickyJson, fc.integer(), (value, seed) => {
        const text = writeLoosely(value, chooser(seed));
        if (isCanonicalJson(text, JSON.parse(text))) expect(roundTrips(text)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it("says yes to what JSON.stringify writes, for events without its rare cases", () => {
    const plainString = fc.string({ unit: fc.constantFrom("a", "Z", "/", "-", ".", " ", "é", "😀", '"', "\\", "\n") });
    const plainKey = plainString.filter((key) => !/^[0-9]/.test(key));
    const { json: plainJson } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: "small" },
        plainString,
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("json"), { maxLength: 4 }),
        fc.dictionary(plainKey, tie("json"), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(plainJson, (value) => {
        expect(isCanonicalJson(JSON.stringify(value), value)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['{"a":1}', true],
    ['{"a":[1,2.5,-3,true,false,null,"x"],"b":{"c":{}}}', true],
    ['{"path":"C:\\\\tmp\\\\a","q":"say \\"hi\\"","nl":"a\\nb\\tc"}', true],
    ['{"emoji":"😀","sep":"\u2028"}', true],
    ['{"a": 1}', false],
    ['{"a":1}\n', false],
    ['{"a":"\\u0041"}', false],
    ['{"a":"\\/"}', false],
    ['{"a":"\\u0001"}', false],
    ['{"a":1.0}', false],
    ['{"a":1e3}', false],
    ['{"a":-0}', false],
    ['{"a":12345678901234567890}', false],
    ['{"b":1,"1":2}', false],
    ['{"a":1,"a":2}', false],
    ['{"a":{"x":1},"b":{"x":1}}', true],
    ['{"a":{"x":1,"y":{"x":2}},"x":3}', true],
    ['[{"a":1},{"a":1}]', true],
    ['{"k\\"":1,"k":2}', true],
  ])("%s: %s", (text, expected) => {
    expect(isCanonicalJson(text, JSON.parse(text))).toBe(expected);
    if (expected) expect(roundTrips(text)).toBe(true);
  });

  it("says no to a lone surrogate, which JSON.stringify escapes", () => {
    const text = `{"a":"${"\ud83d"}x"}`;
    expect(isCanonicalJson(text, JSON.parse(text))).toBe(false);
    expect(roundTrips(text)).toBe(false);
  });
});
