/**
 * Numbered Falco alerts and the pushes that carry them, for the sensor-push
 * stress test: each alert is the real Falcosidekick webhook alert of
 * e2e/fixtures/sensors with its own uuid, which encodes its number, so what
 * the server stored can be counted event by event.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Prng } from "@/bench/prng";
import { falcosidekickBody, goJson } from "@/bench/sensor-payloads";

const FIXTURE = path.join(import.meta.dirname, "..", "e2e", "fixtures", "sensors", "falcosidekick-webhook.ndjson");
const UUID_PREFIX = "00000000-0000-4000-8000-";
/** Containers the alerts are spread over, so suppression by container (if any) both raises and folds. */
const CONTAINERS = 12;

type Json = Record<string, unknown>;

/** The uuid of alert `n`. */
export function alertUuid(n: number): string {
  return `${UUID_PREFIX}${String(n).padStart(12, "0")}`;
}

/** The number in a uuid made by alertUuid, or null for any other uuid. */
export function alertNumber(uuid: unknown): number | null {
  if (typeof uuid !== "string" || !uuid.startsWith(UUID_PREFIX)) return null;
  return Number(uuid.slice(UUID_PREFIX.length));
}

export function numberedAlerts(): (n: number) => Json {
  const first = fs.readFileSync(FIXTURE, "utf8").split("\n")[0] as string;
  const template = JSON.parse(first) as Json & { time: string; output_fields: Json };
  const start = Date.parse(template.time);
  return (n) => {
    const container = (0x3f1c2b9a7d00 + (n % CONTAINERS)).toString(16);
    return {
      ...template,
      uuid: alertUuid(n),
      time: new Date(start + n * 50).toISOString(),
      output_fields: { ...template.output_fields, "container.id": container },
    };
  };
}

export interface Push {
  /** Alert numbers it carries, in order. */
  numbers: number[];
  body: Buffer;
  headers: Record<string, string>;
}

/**
 * The pushes of one sensor: alternately a single alert as Falcosidekick
 * POSTs it, or 2–8 alerts as NDJSON (gzip half the time) as Fluent Bit
 * tailing Falco's log sends them.
 */
export function sensorPushes(prng: Prng, firstNumber: number, pushes: number, alert: (n: number) => Json): Push[] {
  const list: Push[] = [];
  let next = firstNumber;
  for (let index = 0; index < pushes; index++) {
    if (prng.chance(0.5)) {
      const n = next++;
      list.push({
        numbers: [n],
        body: falcosidekickBody(alert(n)),
        headers: { "content-type": "application/json", "user-agent": "Falcosidekick" },
      });
      continue;
    }
    const numbers = Array.from({ length: prng.int(2, 8) }, () => next++);
    const text = Buffer.from(numbers.map((n) => `${goJson(alert(n))}\n`).join(""));
    const gzip = prng.chance(0.5);
    list.push({
      numbers,
      body: gzip ? gzipSync(text) : text,
      headers: { "content-type": "application/x-ndjson", ...(gzip ? { "content-encoding": "gzip" } : {}) },
    });
  }
  return list;
}
