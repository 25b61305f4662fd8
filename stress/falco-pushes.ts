/**
 * Numbered Falco alerts, the pushes that carry them and the way a sensor
 * delivers them, for the sensor-push stress tests (kill-during-pushes,
 * pg-two-instances-pushes): each alert is the real Falcosidekick webhook
 * alert of e2e/fixtures/sensors with its own uuid, which encodes its number,
 * so what the server stored can be counted event by event.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Prng } from "@/bench/prng";
import { falcosidekickBody, goJson } from "@/bench/sensor-payloads";
import { sleep } from "./server";

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

/** Each sensor's pushes, numbered one after another across the sensors; `numbered`: how many alerts they carry. */
export function sensorsPushes(
  prng: Prng,
  sensors: number,
  pushesPerSensor: number,
  alert: (n: number) => Json,
): { sensors: Push[][]; numbered: number } {
  const list: Push[][] = [];
  let numbered = 0;
  for (let sensor = 0; sensor < sensors; sensor++) {
    const pushes = sensorPushes(prng, numbered, pushesPerSensor, alert);
    numbered = (pushes.at(-1)?.numbers.at(-1) ?? numbered) + 1;
    list.push(pushes);
  }
  return { sensors: list, numbered };
}

export interface Answer {
  status: number;
  body: string;
}

/** What a push's 2xx answer reports (the parts the stress tests check). */
export interface PushReport {
  events?: { received?: number; rejected?: number; duplicate?: number };
  source?: { id: string };
}

/** A server to push to; its address is read at each attempt, since a restarted server may listen elsewhere. */
export interface PushTarget {
  readonly baseUrl: string;
}

/** One push on the sensor's keep-alive connection; rejects when the connection dies without an answer. */
export function post(target: PushTarget, agent: http.Agent, token: string, push: Push): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${target.baseUrl}/api/events`,
      {
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${token}`, "content-length": String(push.body.length), ...push.headers },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(push.body);
  });
}

export interface DeliverOptions {
  /** Answers other than 2xx go here; the push is sent again after them (the tests accept only 503 among them). */
  refusals: Answer[];
  /** The pause before sending again, in milliseconds. */
  pauseMs: () => number;
  /**
   * Whether a push that got no answer (the connection died: the server was killed) is sent again and counted, as a
   * sensor does; otherwise such a push fails the caller, which expects every push answered.
   */
  resendUnanswered: boolean;
}

/** Sends `push` until it is answered 2xx, as a sensor retries; the 2xx answer's report and the attempts unanswered. */
export async function deliver(
  target: PushTarget,
  agent: http.Agent,
  token: string,
  push: Push,
  options: DeliverOptions,
): Promise<{ report: PushReport; unanswered: number }> {
  let unanswered = 0;
  for (;;) {
    const sent = post(target, agent, token, push);
    const answer = options.resendUnanswered ? await sent.catch(() => null) : await sent;
    if (answer && answer.status >= 200 && answer.status < 300) {
      return { report: JSON.parse(answer.body) as PushReport, unanswered };
    }
    if (answer) options.refusals.push(answer);
    else unanswered++;
    await sleep(options.pauseMs());
  }
}
