import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEventBatches } from "./read-event-batches";
import { type ReadEventItem, readEvents } from "./read-events";

async function* chunked(body: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += size) yield body.subarray(at, at + size);
}

async function viaBatches(body: Buffer, size: number, options: Parameters<typeof readEventBatches>[1] = {}) {
  const items: ReadEventItem[] = [];
  for await (const batch of readEventBatches(chunked(body, size), options)) items.push(...batch);
  return items;
}

async function viaReadEvents(body: Buffer, size: number, maxLineBytes?: number) {
  const items: ReadEventItem[] = [];
  for await (const item of readEvents(chunked(body, size), { maxLineBytes })) items.push(item);
  return items;
}

const piece = fc.constantFrom(
  '{"a":1}',
  '{"process":{"name":"nc"}}',
  '{"x":"é ü"}',
  '{"x":"\\u00e9"}',
  '  {"spaced":true}  ',
  '{"cr":1}\r',
  "",
  "   ",
  "not json",
  "[1,2]",
  '{"cut":',
  `{"long":"${"y".repeat(900)}"}`,
  `{"longer":"${"y".repeat(2100)}"}`,
  "\t",
);

describe("readEventBatches", () => {
  it("gives the items readEvents gives, whatever the chunks, for NDJSON, arrays and gzip", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 12 }),
        fc.nat(300),
        fc.constantFrom("", "\ufeff", "\n\n  ", "["),
        fc.boolean(),
        fc.constantFrom(1, 7, 64, 1000, 4096),
        fc.boolean(),
        async (pieces, filler, start, finalNewline, size, gzip) => {
          // Filler lines carry the pieces past the first kilobyte, which the reader looks at before it decides.
          const lines = [...Array.from({ length: filler }, () => '{"f":1}'), ...pieces];
          const text =
            start === "[" ? `[${lines.join(",\n")}]` : `${start}${lines.join("\n")}${finalNewline ? "\n" : ""}`;
          const body = gzip ? gzipSync(text) : Buffer.from(text);
          // A line limit the longer line passes, so both refuse it.
          expect(await viaBatches(body, size, { maxLineBytes: 2000 })).toEqual(await viaReadEvents(body, size, 2000));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("parses only the lines the selector keeps, with their true line numbers", async () => {
    const body = Buffer.from(['{"n":1}', '{"n":2}', "", "broken", '{"n":5}', '{"n":6}'].join("\n"));
    const seen: string[] = [];
    const items = await viaBatches(body, 9, {
      select: (block, ends) => {
        seen.push(block.toString());
        // Keeps the lines that do not hold an even digit.
        return Uint8Array.from(ends, (end, index) => {
          const from = index === 0 ? 0 : (ends[index - 1] as number) + 1;
          return /[2468]/.test(block.toString("utf8", from, end)) ? 0 : 1;
        });
      },
    });
    expect(items.map((item) => ("error" in item ? `${item.line}: error` : `${item.line}: ${item.text}`))).toEqual([
      '1: {"n":1}',
      "4: error",
      '5: {"n":5}',
    ]);
    // Each line went through the selector once, the last one too although the body does not end with a newline.
    expect(seen.join("")).toBe(`${body.toString()}\n`);
  });

  it("refuses binary data as readEvents does", async () => {
    const body = Buffer.from([0x00, 0x01, 0x02, 0x7b, 0x7d, 0x0a]);
    await expect(viaBatches(body, 4)).rejects.toThrow(/binary data/);
  });
});
