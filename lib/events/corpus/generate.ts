/**
 * The large and binary inputs of the bad-input corpus, written at test time
 * instead of committed: a 17 MiB line, 1,000-deep nesting, a gzip bomb and
 * the like. Each generator streams to a file so the test process never holds
 * the whole input in memory (the tests measure its memory).
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, createGzip, gzipSync } from "node:zlib";

const MiB = 1024 * 1024;

/** A small valid ECS process event, unique per case and number so no two cases share a content hash. */
export function corpusEvent(caseName: string, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "@timestamp": `2026-11-23T11:${String(Math.floor(n / 60) % 60).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}Z`,
    event: { category: ["process"], type: ["start"], action: "exec", id: `${caseName}-${n}` },
    process: { name: "ls", pid: 100 + n, args: ["ls", "-la"] },
    container: { id: "corpus-generated" },
    ...extra,
  };
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/** Writes string/Buffer pieces to a file, waiting on back-pressure. */
async function writePieces(file: string, pieces: Iterable<string | Buffer>): Promise<void> {
  const out = fs.createWriteStream(file);
  for (const piece of pieces) {
    if (!out.write(piece)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function writeGzip(file: string, pieces: Iterable<string | Buffer>): Promise<void> {
  await pipeline(Readable.from(pieces), createGzip(), fs.createWriteStream(file));
}

/** `count` bytes of `char`, in 1 MiB pieces. */
function* repeated(char: string, count: number): Generator<string> {
  const piece = char.repeat(MiB);
  for (let left = count; left > 0; left -= MiB) yield left >= MiB ? piece : char.repeat(left);
}

/** An event line whose `labels` value is nested so that the whole event is `depth` levels deep. */
function* deepObjectLine(caseName: string, n: number, depth: number): Generator<string> {
  const head = JSON.stringify(corpusEvent(caseName, n)).slice(0, -1);
  // The event is level 1 and `labels` level 2: depth - 1 objects below the event.
  yield `${head},"labels":`;
  yield '{"a":'.repeat(depth - 2);
  yield '{"leaf":"x"}';
  yield "}".repeat(depth - 2);
  yield "}\n";
}

export const GENERATORS = {
  /** A valid event with a 5 MB message between two small ones: long but under the 16 MiB line limit. */
  "line-5mb": (file: string) =>
    writePieces(file, [
      line(corpusEvent("line-5mb", 1)),
      `${JSON.stringify(corpusEvent("line-5mb", 2)).slice(0, -1)},"message":"`,
      ...repeated("m", 5 * 1000 * 1000),
      '"}\n',
      line(corpusEvent("line-5mb", 3)),
    ]),

  /** A 17 MiB line between two good ones: refused as too long, its neighbours kept. */
  "line-17mb": (file: string) =>
    writePieces(file, [
      line(corpusEvent("line-17mb", 1)),
      `${JSON.stringify(corpusEvent("line-17mb", 2)).slice(0, -1)},"message":"`,
      ...repeated("m", 17 * MiB),
      '"}\n',
      line(corpusEvent("line-17mb", 3)),
    ]),

  /** 10,000 fields at the top level, then 10,000 under one object. */
  "fields-10k": (file: string) => {
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`field_${index}`, index]));
    return writePieces(file, [
      line({ ...many, ...corpusEvent("fields-10k", 1) }),
      line(corpusEvent("fields-10k", 2, { labels: many })),
    ]);
  },

  /** Exactly 1,000 levels deep: the deepest an event may be. */
  "nesting-1000": (file: string) =>
    writePieces(file, [line(corpusEvent("nesting-1000", 1)), ...deepObjectLine("nesting-1000", 2, 1_000)]),

  /** One level too deep, between two good events. */
  "nesting-1001": (file: string) =>
    writePieces(file, [
      line(corpusEvent("nesting-1001", 1)),
      ...deepObjectLine("nesting-1001", 2, 1_001),
      line(corpusEvent("nesting-1001", 3)),
    ]),

  /** 100,000 nested arrays in one field: enough to overflow any recursive walk. */
  "nesting-100k-arrays": (file: string) =>
    writePieces(file, [
      line(corpusEvent("nesting-100k", 1)),
      `${JSON.stringify(corpusEvent("nesting-100k", 2)).slice(0, -1)},"x":`,
      "[".repeat(100_000),
      "]".repeat(100_000),
      "}\n",
      line(corpusEvent("nesting-100k", 3)),
    ]),

  /** process.args with half a million entries, and half a million numbers under labels. */
  "huge-arrays": (file: string) =>
    writePieces(file, [
      line(
        corpusEvent("huge-arrays", 1, {
          process: { name: "ls", pid: 7, args: Array.from({ length: 500_000 }, () => "a") },
        }),
      ),
      line(corpusEvent("huge-arrays", 2, { labels: { numbers: Array.from({ length: 500_000 }, (_, i) => i) } })),
    ]),

  /** A JSON array of 100,000 numbers: every element is an error, only the first 1,000 are kept. */
  "huge-array-of-numbers": (file: string) => writePieces(file, ["[", "1,".repeat(99_999), "1]\n"]),

  /** 5,000 bad lines and one good one at the end. */
  "many-bad-lines": (file: string) =>
    writePieces(file, ["{bad\n".repeat(5_000), line(corpusEvent("many-bad-lines", 5_001))]),

  /** 999 good lines, a bad one at line 1,000, a good one after it. */
  "bad-line-1000": (file: string) =>
    writePieces(file, [
      ...Array.from({ length: 999 }, (_, index) => line(corpusEvent("bad-line-1000", index + 1))),
      "{not json at line 1000\n",
      line(corpusEvent("bad-line-1000", 1_001)),
    ]),

  /** A field name of 100,000 characters. */
  "long-field-name": (file: string) =>
    writePieces(file, [line(corpusEvent("long-field-name", 1, { ["k".repeat(100_000)]: "v" }))]),

  /** ~130 KiB of gzip that inflates to 128 MiB: a good line, 128 MiB of blanks on one line, a good line. */
  "gzip-bomb": (file: string) =>
    writeGzip(file, [
      line(corpusEvent("gzip-bomb", 1)),
      ...repeated(" ", 128 * MiB),
      "\n",
      line(corpusEvent("gzip-bomb", 3)),
    ]),

  /**
   * gzip of 200 events cut right after the first 100: the compressor is flushed
   * there, so exactly those 100 decompress, whatever zlib's version.
   */
  "gzip-truncated": async (file: string) => {
    const events = (from: number) =>
      Array.from({ length: 100 }, (_, index) => line(corpusEvent("gzip-cut", from + index))).join("");
    const gzip = createGzip();
    const output: Buffer[] = [];
    gzip.on("data", (chunk: Buffer) => output.push(chunk));
    gzip.write(events(1));
    await new Promise<void>((resolve) => gzip.flush(constants.Z_FULL_FLUSH, () => resolve()));
    const cut = Buffer.concat(output);
    gzip.end(events(101));
    await once(gzip, "end");
    await writePieces(file, [cut]);
  },

  /** gzip cut inside its 10-byte header: nothing can be read. */
  "gzip-cut-in-header": (file: string) =>
    writePieces(file, [gzipSync(line(corpusEvent("gzip-header", 1))).subarray(0, 6)]),

  /** gzip magic bytes and header, then bytes that are not deflate data. */
  "gzip-corrupt": (file: string) =>
    writePieces(file, [
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]),
      Buffer.from("this is not deflate data at all, just text after a gzip header", "latin1"),
    ]),

  /** gzip of nothing. */
  "gzip-empty": (file: string) => writePieces(file, [gzipSync(Buffer.alloc(0))]),

  /** gzip inside gzip: the inner layer is binary to the reader. */
  "gzip-double": (file: string) =>
    writePieces(file, [gzipSync(gzipSync(line(corpusEvent("gzip-double", 1)) + line(corpusEvent("gzip-double", 2))))]),

  /** gzip of a BOM and CRLF line endings with one bad line. */
  "gzip-bom-crlf": (file: string) =>
    writePieces(file, [
      gzipSync(
        `\ufeff${JSON.stringify(corpusEvent("gzip-bom-crlf", 1))}\r\n{bad\r\n${JSON.stringify(corpusEvent("gzip-bom-crlf", 3))}\r\n`,
      ),
    ]),
} satisfies Record<string, (file: string) => Promise<void>>;

export type GeneratedInput = keyof typeof GENERATORS;

/** Writes a generated input into `dir` (once per directory) and returns its path. */
export async function generatedFile(name: GeneratedInput, dir: string): Promise<string> {
  const file = path.join(dir, `${name}.input`);
  if (!fs.existsSync(file)) await GENERATORS[name](file);
  return file;
}
