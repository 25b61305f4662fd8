import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BodyTooLargeError, MAX_NESTING_DEPTH, type ReadEventItem, ReadEventsError, readEvents } from "./read-events";

const encoder = new TextEncoder();

function bytes(text: string | Uint8Array): Uint8Array {
  return typeof text === "string" ? encoder.encode(text) : text;
}

/** Feeds `data` in chunks of the given sizes (cycled), like a network body would arrive. */
async function* chunked(data: Uint8Array, sizes: readonly number[] = [data.length || 1]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let turn = 0;
  while (offset < data.length) {
    const size = Math.max(1, sizes[turn++ % sizes.length]!);
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

/** An event item's text is the JSON it was parsed from; checked here, then left out so tests compare events. */
function withoutText(item: ReadEventItem) {
  if (!("event" in item)) return item;
  const { text, ...rest } = item;
  expect(JSON.parse(text)).toEqual(item.event);
  return rest;
}

async function collect(data: string | Uint8Array, sizes?: readonly number[], maxLineBytes?: number) {
  const items = [];
  for await (const item of readEvents(chunked(bytes(data), sizes), { maxLineBytes })) items.push(withoutText(item));
  return items;
}

async function collectTexts(data: string) {
  const texts: string[] = [];
  for await (const item of readEvents(chunked(bytes(data)))) if ("text" in item) texts.push(item.text);
  return texts;
}

describe("readEvents: NDJSON", () => {
  it("yields one event per line with 1-based file line numbers, skipping blank lines", async () => {
    const items = await collect('\n{"a":1}\n\n   \n{"b":2}\n{"c":3}');
    expect(items).toEqual([
      { line: 2, event: { a: 1 } },
      { line: 5, event: { b: 2 } },
      { line: 6, event: { c: 3 } },
    ]);
  });

  it("gives each event's text as it was in the file, without the line ending or byte order mark", async () => {
    expect(await collectTexts('\uFEFF{"a": "é"}\r\n\r\n {"b":2}  \n')).toEqual(['{"a": "é"}', ' {"b":2}  ']);
  });

  it("accepts CRLF line endings and a UTF-8 byte order mark", async () => {
    const items = await collect('\uFEFF{"a":"é"}\r\n\r\n{"b":2}\r\n');
    expect(items).toEqual([
      { line: 1, event: { a: "é" } },
      { line: 3, event: { b: 2 } },
    ]);
  });

  it("reports bad lines and goes on", async () => {
    const items = await collect('{"a":1}\nnot json\n[1,2]\n"text"\nnull\n{"a":\n{"ok":true}\n');
    expect(items[0]).toEqual({ line: 1, event: { a: 1 } });
    expect(items[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^invalid JSON: /) });
    expect(items[2]).toEqual({ line: 3, error: "expected a JSON object, found an array" });
    expect(items[3]).toEqual({ line: 4, error: "expected a JSON object, found a string" });
    expect(items[4]).toEqual({ line: 5, error: "expected a JSON object, found null" });
    expect(items[5]).toMatchObject({ line: 6, error: expect.stringMatching(/^invalid JSON: /) });
    expect(items[6]).toEqual({ line: 7, event: { ok: true } });
    expect(items).toHaveLength(7);
  });

  it("gives the column of a syntax error and leaves the position out of the message", async () => {
    const items = await collect('{"a":1,,"b":2}');
    expect(items[0]).toMatchObject({ line: 1, column: 8 });
    expect((items[0] as { error: string }).error).not.toMatch(/position/);
  });

  it("turns a line over maxLineBytes into an error and keeps reading at the next line", async () => {
    const huge = `{"pad":"${"x".repeat(5000)}"}`;
    const items = await collect(`{"a":1}\n${huge}\n{"b":2}\n${huge}`, [7, 100, 1], 1024);
    expect(items).toEqual([
      { line: 1, event: { a: 1 } },
      { line: 2, error: "the line is longer than the 1 KiB limit; skipped" },
      { line: 3, event: { b: 2 } },
      { line: 4, error: "the line is longer than the 1 KiB limit; skipped" },
    ]);
  });

  it("accepts a line of exactly maxLineBytes", async () => {
    const line = `{"p":"${"y".repeat(100 - 8)}"}`;
    expect(line.length).toBe(100);
    expect(await collect(`${line}\n`, [3], 100)).toEqual([{ line: 1, event: { p: "y".repeat(92) } }]);
  });

  it("yields nothing for an empty or blank body", async () => {
    expect(await collect("")).toEqual([]);
    expect(await collect("\n \r\n\t\n")).toEqual([]);
  });
});

describe("readEvents: JSON array", () => {
  it("gives each element's text without the whitespace and commas around it", async () => {
    expect(await collectTexts('[ {"a":1} ,\n  {"b": [2, 3]}\n]')).toEqual(['{"a":1}', '{"b": [2, 3]}']);
  });

  it("streams the elements with the line each starts on", async () => {
    const text = '[\n  {"a":1},\n  {"b":\n    [1, "]", "\\"}"]},\n  {"c":{"d":"x,y"}}\n]\n';
    expect(await collect(text)).toEqual([
      { line: 2, event: { a: 1 } },
      { line: 3, event: { b: [1, "]", '"}'] } },
      { line: 5, event: { c: { d: "x,y" } } },
    ]);
  });

  it("reports bad elements without losing the good ones", async () => {
    const items = await collect('[{"a":1}, 42, {"b":1,,}, "s", {"c":3}]');
    expect(items[0]).toEqual({ line: 1, event: { a: 1 } });
    expect(items[1]).toEqual({ line: 1, error: "expected a JSON object, found a number" });
    expect(items[2]).toMatchObject({ line: 1, error: expect.stringMatching(/^invalid JSON: /) });
    expect((items[2] as { column?: number }).column).toBe(22);
    expect(items[3]).toEqual({ line: 1, error: "expected a JSON object, found a string" });
    expect(items[4]).toEqual({ line: 1, event: { c: 3 } });
  });

  it("handles an empty array, a BOM and leading blank lines", async () => {
    expect(await collect("\uFEFF\n\n [ ] \n")).toEqual([]);
    expect(await collect('\n\n[{"a":1}]')).toEqual([{ line: 3, event: { a: 1 } }]);
  });

  it("reports an array that is never closed, after its complete elements", async () => {
    const items = await collect('[{"a":1},\n{"b":2}');
    expect(items[0]).toEqual({ line: 1, event: { a: 1 } });
    expect(items[1]).toEqual({ line: 2, event: { b: 2 } });
    expect(items[2]).toMatchObject({ line: 2, column: 8, error: expect.stringMatching(/ends before the closing \]/) });
  });

  it("reports data after the closing bracket once", async () => {
    const items = await collect('[{"a":1}]\n{"b":2}\n{"c":3}\n');
    expect(items).toEqual([
      { line: 1, event: { a: 1 } },
      { line: 2, column: 1, error: expect.stringMatching(/after the closing \]/) },
    ]);
  });

  it("reports missing elements (doubled or trailing commas)", async () => {
    const items = await collect('[{"a":1},,{"b":2},]');
    expect(items.filter((item) => "event" in item)).toHaveLength(2);
    expect(items.filter((item) => "error" in item)).toHaveLength(2);
  });

  it("skips an element over maxLineBytes without keeping it", async () => {
    const big = `{"pad":"${"z".repeat(4000)}"}`;
    const items = await collect(`[{"a":1},\n${big},\n{"b":2}]`, [64], 1024);
    expect(items).toEqual([
      { line: 1, event: { a: 1 } },
      { line: 2, error: "the array element is longer than the 1 KiB limit; skipped" },
      { line: 3, event: { b: 2 } },
    ]);
  });
});

describe("readEvents: gzip and unreadable bodies", () => {
  it("decompresses gzip of NDJSON and of an array", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ i, text: `event ${i}` })).join("\n");
    const items = await collect(gzipSync(lines), [13, 4096]);
    expect(items).toHaveLength(500);
    expect(items[499]).toEqual({ line: 500, event: { i: 499, text: "event 499" } });
    expect(await collect(gzipSync('[{"a":1},{"b":2}]'), [1])).toEqual([
      { line: 1, event: { a: 1 } },
      { line: 1, event: { b: 2 } },
    ]);
  });

  it("reads concatenated gzip members as one stream", async () => {
    const joined = Buffer.concat([gzipSync('{"a":1}\n{"b"'), gzipSync(':2}\n{"c":3}\n')]);
    expect(await collect(joined, [5])).toEqual([
      { line: 1, event: { a: 1 } },
      { line: 2, event: { b: 2 } },
      { line: 3, event: { c: 3 } },
    ]);
  });

  it("keeps the events before a gzip cut and ends with an error at the line where it broke off", async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, pad: "p".repeat(i % 50) })).join("\n");
    const full = gzipSync(lines);
    const truncated = full.subarray(0, Math.floor(full.length * 0.6));
    const items = await collect(truncated, [512]);
    const last = items.pop()!;
    expect(items.length).toBeGreaterThan(0);
    for (const [index, item] of items.entries()) {
      expect(item).toEqual({ line: index + 1, event: expect.objectContaining({ i: index }) });
    }
    expect(last).toEqual({
      line: items.length + 1,
      error: expect.stringMatching(/gzip data is truncated.*breaks off/),
    });
  });

  it("throws ReadEventsError for gzip cut before any event is complete", async () => {
    const full = gzipSync(JSON.stringify({ pad: "x".repeat(5000) }));
    await expect(collect(full.subarray(0, 20))).rejects.toThrow(ReadEventsError);
    await expect(collect(full.subarray(0, 20))).rejects.toThrow(/gzip data is truncated/);
  });

  it("throws ReadEventsError for corrupt gzip", async () => {
    const corrupt = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    await expect(collect(corrupt)).rejects.toThrow(/gzip data is (corrupt|truncated)/);
  });

  it("throws ReadEventsError for binary data", async () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    await expect(collect(png)).rejects.toThrow(ReadEventsError);
    await expect(collect(png)).rejects.toThrow(/not JSON, NDJSON or gzip/);
    const noise = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256);
    await expect(collect(noise, [100])).rejects.toThrow(ReadEventsError);
  });

  it("does not call a valid file binary because of odd bytes later in its first KB", async () => {
    const text = `{"a":1}\n${"\u0000"}garbage\n{"b":2}\n`;
    const items = await collect(text);
    expect(items[0]).toEqual({ line: 1, event: { a: 1 } });
    expect(items[1]).toMatchObject({ line: 2, error: expect.stringMatching(/^invalid JSON/) });
    expect(items[2]).toEqual({ line: 3, event: { b: 2 } });
  });

  it("writes the control characters JSON.parse quotes from a bad line as \\u escapes", async () => {
    const items = await collect(`{"a":1}\n\u0000\u0001\tgarbage\u007f\n{"b":2}\n`);
    const error = (items[1] as { error: string }).error;
    expect(error).toMatch(/^invalid JSON: /);
    expect(error).toContain("\\u0000\\u0001\\u0009garbage\\u007f");
    expect(error).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(items[2]).toEqual({ line: 3, event: { b: 2 } });
  });

  it("passes errors of the source through unchanged", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('{"a":1}\n');
      throw new Error("client went away");
    }
    const seen: ReadEventItem[] = [];
    await expect(
      (async () => {
        for await (const item of readEvents(failing())) seen.push(item);
      })(),
    ).rejects.toThrow("client went away");
  });

  it("releases the source when the consumer stops early", async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 1000; i++) yield encoder.encode(`{"i":${i}}\n`);
      } finally {
        closed = true;
      }
    }
    for await (const item of readEvents(source())) {
      expect(withoutText(item)).toEqual({ line: 1, event: { i: 0 } });
      break;
    }
    expect(closed).toBe(true);
  });

  it("releases the source of a gzip body when the consumer stops early", async () => {
    const data = gzipSync(Array.from({ length: 20000 }, (_, i) => `{"i":${i}}`).join("\n"));
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield* chunked(data, [256]);
      } finally {
        closed = true;
      }
    }
    let seen = 0;
    for await (const item of readEvents(source())) {
      expect(withoutText(item)).toEqual({ line: seen + 1, event: { i: seen } });
      if (++seen === 3) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
  });
});

describe("readEvents: chunking never changes the result", () => {
  const eventArb = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 6 }),
    fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())),
    { maxKeys: 4 },
  );
  const lineArb = fc.oneof(
    { weight: 6, arbitrary: eventArb.map((event) => JSON.stringify(event)) },
    { weight: 1, arbitrary: fc.constantFrom("", "   ", "not json", "[1]", '{"x":', "42", '"é\\"', '{"k":"a\\nb"}') },
  );
  const bodyArb = fc.record({
    lines: fc.array(lineArb, { maxLength: 12 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    asArray: fc.boolean(),
    gzip: fc.boolean(),
  });
  const sizesArb = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 });

  function render(body: { lines: string[]; crlf: boolean; bom: boolean; asArray: boolean; gzip: boolean }): Uint8Array {
    const newline = body.crlf ? "\r\n" : "\n";
    let text = body.asArray
      ? `[${newline}${body.lines.filter((line) => line.trim() !== "" && line !== '{"x":').join(`,${newline}`)}${newline}]`
      : body.lines.join(newline);
    if (body.bom) text = `\uFEFF${text}`;
    const data = encoder.encode(text);
    return body.gzip ? gzipSync(data) : data;
  }

  it("gives the same items for any chunk sizes, including one byte at a time", async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, sizesArb, async (body, sizes) => {
        const data = render(body);
        const whole = await collect(data);
        expect(await collect(data, sizes)).toEqual(whole);
        expect(await collect(data, [1])).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it("parses every valid event of a generated NDJSON body", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 10 }), sizesArb, async (events, sizes) => {
        const items = await collect(events.map((event) => JSON.stringify(event)).join("\n"), sizes);
        expect(items).toEqual(events.map((event, index) => ({ line: index + 1, event })));
      }),
      { numRuns: 100 },
    );
  });
});

describe("body size limit", () => {
  it("stops with BodyTooLargeError when the decompressed body passes maxBodyBytes", async () => {
    const body = gzipSync(Buffer.from('{"a":1}\n'.repeat(10_000)));
    const read = async () => {
      for await (const _ of readEvents(chunked(body, [512]), { maxBodyBytes: 20_000 })) {
        // drain
      }
    };
    await expect(read()).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});

describe("nesting limit", () => {
  /** An event `depth` levels deep (the event itself is level 1). */
  const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;

  it("keeps an event exactly at the limit and refuses one level more, in NDJSON and in an array", async () => {
    const atLimit = nested(MAX_NESTING_DEPTH);
    const tooDeep = nested(MAX_NESTING_DEPTH + 1);
    for (const items of [
      await collect(`${atLimit}\n${tooDeep}\n{"b":1}\n`),
      await collect(`[${atLimit},\n${tooDeep},\n{"b":1}]`),
    ]) {
      expect(items.map((item) => ("error" in item ? item : { line: item.line }))).toEqual([
        { line: 1 },
        { line: 2, error: `the event is nested deeper than ${MAX_NESTING_DEPTH} levels; skipped` },
        { line: 3 },
      ]);
    }
  });

  it("refuses arrays nested far beyond what a recursive walk survives", async () => {
    const items = await collect(`{"x":${"[".repeat(200_000)}${"]".repeat(200_000)}}\n`);
    expect(items).toEqual([{ line: 1, error: expect.stringContaining("nested deeper") }]);
  });

  it("does not count brackets inside strings", async () => {
    const text = JSON.stringify({ s: "[{".repeat(5_000) });
    expect(await collect(text)).toEqual([{ line: 1, event: { s: "[{".repeat(5_000) } }]);
  });
});
