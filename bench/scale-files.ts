/**
 * Input files for the scaling runs. The generator is deterministic, so the
 * file for N events is the first N lines of the file for any larger count:
 * only the largest is generated, the smaller ones are copied from its start,
 * which is a disk copy instead of minutes of generation each.
 */
import { once } from "node:events";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { ensureEventsFile, eventsFilePath } from "./generate";

/**
 * Copies `lines` lines of `source`, after skipping its first `skip` lines, into `target` (written under a
 * temporary name, then renamed).
 */
export async function copyLeadingLines(source: string, target: string, lines: number, skip = 0): Promise<void> {
  const partial = `${target}.partial`;
  const out = fs.createWriteStream(partial);
  let remaining = lines;
  let skipping = skip;
  for await (const raw of fs.createReadStream(source, { highWaterMark: 1 << 20 })) {
    let chunk = raw as Buffer;
    while (skipping > 0) {
      const at = chunk.indexOf(0x0a);
      if (at === -1) break;
      chunk = chunk.subarray(at + 1);
      skipping--;
    }
    if (skipping > 0) continue;
    let end = 0;
    while (remaining > 0) {
      const at = chunk.indexOf(0x0a, end);
      if (at === -1) {
        end = chunk.length;
        break;
      }
      end = at + 1;
      remaining--;
    }
    if (!out.write(chunk.subarray(0, end))) await once(out, "drain");
    if (remaining === 0) break;
  }
  out.end();
  await once(out, "finish");
  if (remaining > 0) {
    fs.rmSync(partial, { force: true });
    throw new Error(`bench: ${source} holds fewer than ${skip + lines} lines`);
  }
  fs.renameSync(partial, target);
}

/** The NDJSON file for each count (generating the largest if missing), by count. */
export async function ensureScaleFiles(counts: readonly number[], root: string): Promise<Map<number, string>> {
  const files = new Map<number, string>();
  const largest = Math.max(...counts);
  const missing = counts.filter((count) => !fs.existsSync(eventsFilePath(count, root)));
  if (missing.length === 0) {
    for (const count of counts) files.set(count, eventsFilePath(count, root));
    return files;
  }
  const source = (await ensureEventsFile(largest, root)).file;
  for (const count of counts) {
    const file = eventsFilePath(count, root);
    if (!fs.existsSync(file)) await copyLeadingLines(source, file, count);
    files.set(count, file);
  }
  return files;
}

/**
 * The first and the second half of the `events`-event file, as two files beside it (made once): what two
 * instances receive at once in the ingest part, two parts of one stream with no event in both.
 */
export async function ensureHalfFiles(events: number, root: string): Promise<[string, string]> {
  const half = Math.floor(events / 2);
  const whole = (await ensureScaleFiles([events], root)).get(events) as string;
  const first = (await ensureScaleFiles([half], root)).get(half) as string;
  const second = whole.replace(/\.ndjson$/, `-second-half.ndjson`);
  if (!fs.existsSync(second)) await copyLeadingLines(whole, second, events - half, half);
  return [first, second];
}

/**
 * `file`.gz beside it, made once. Level 1 keeps making a 10 GB file to a
 * minute or two; the server's cost is inflating, which barely depends on it.
 */
export async function ensureGzipFile(file: string): Promise<string> {
  const target = `${file}.gz`;
  if (fs.existsSync(target)) return target;
  const partial = `${target}.partial`;
  await pipeline(fs.createReadStream(file), createGzip({ level: 1 }), fs.createWriteStream(partial));
  fs.renameSync(partial, target);
  return target;
}
