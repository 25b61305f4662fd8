/**
 * Request bodies as sensors send them, each one distinct so that no event is
 * a duplicate of another (the server stores a duplicate for almost nothing,
 * which would flatter the figures):
 *
 * - a Falco alert as Falcosidekick's webhook output POSTs it: one JSON object
 *   per request, encoded by Go's encoding/json (<, > and & escaped) with a
 *   newline at the end; the real alert of e2e/fixtures/sensors with its uuid,
 *   time and evt.time changed per request;
 * - 100 generated cloud_defend events as NDJSON, gzip-compressed, as Fluent
 *   Bit's `http` output (json_lines, compress gzip) and Vector's `http` sink
 *   (ndjson, gzip) send them.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { DEFAULT_SEED, generateEvents } from "./generate";

const FALCO_FIXTURE = path.join(
  import.meta.dirname,
  "..",
  "e2e",
  "fixtures",
  "sensors",
  "falcosidekick-webhook.ndjson",
);

type Json = Record<string, unknown>;

/** Go's encoding/json escapes HTML-sensitive characters; Falcosidekick does not turn that off. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");
}

/** A uuid-shaped id that depends only on `seed` and `n`, so runs send the same bodies. */
function uuidFor(seed: string, n: number): string {
  const hex = createHash("sha256").update(`${seed}:${n}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Makes the `n`th distinct Falco alert from the fixture's first alert: a millisecond later each. */
export function falcoAlertMaker(runLabel: string): (n: number) => Json {
  const first = fs.readFileSync(FALCO_FIXTURE, "utf8").split("\n")[0];
  if (!first) throw new Error(`bench: ${FALCO_FIXTURE} is empty`);
  const template = JSON.parse(first) as Json & { time: string; output: string; output_fields: Json };
  const start = Date.parse(template.time);
  return (n) => {
    const at = new Date(start + n);
    const iso = at.toISOString();
    return {
      ...template,
      uuid: uuidFor(runLabel, n),
      // Falco prints the time at the start of its output; keep the text in step with the time field.
      output: template.output.replace(/^\S+/, iso.replace("Z", "+0000")),
      time: iso,
      output_fields: { ...template.output_fields, "evt.time.iso8601": at.getTime() * 1_000_000 },
    };
  };
}

/** The body of one Falcosidekick webhook POST. */
export function falcosidekickBody(alert: Json): Buffer {
  return Buffer.from(`${goJson(alert)}\n`);
}

/**
 * `batches` gzip NDJSON bodies of `size` generated events each, from a seed
 * and a start time other than the bulk file's, so none is a duplicate of it.
 */
export function gzipBatches(batches: number, size: number): Buffer[] {
  const stream = generateEvents({ seed: DEFAULT_SEED + 1, start: Date.UTC(2026, 11, 1) });
  const bodies: Buffer[] = [];
  for (let index = 0; index < batches; index++) {
    let text = "";
    for (let count = 0; count < size; count++) {
      const next = stream.next();
      if (next.done) throw new Error("bench: the event generator ended early");
      text += `${JSON.stringify(next.value)}\n`;
    }
    bodies.push(gzipSync(text, { level: 6 }));
  }
  return bodies;
}
