import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, getAdapter, MIN_CONFIDENCE, sniffFormat } from "./detect-format";
import { EVENT_FORMATS, type EventFormat } from "./formats/types";

type Json = Record<string, unknown>;

function fixture(name: string): Json[] {
  return readFileSync(path.join(import.meta.dirname, "../../e2e/fixtures", `${name}.ndjson`), "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        const value: unknown = JSON.parse(line);
        return value && typeof value === "object" && !Array.isArray(value) ? [value as Json] : [];
      } catch {
        return [];
      }
    });
}

const CASES: [string, EventFormat][] = [
  ["ecs-cloud-defend", "ecs"],
  ["falco", "falco"],
  ["tetragon", "tetragon"],
  ["datadog", "datadog"],
  ["bad-lines", "ecs"],
];

describe("detectFormat", () => {
  it.each(CASES)("recognizes %s as %s, from the whole file and from any single event", (name, format) => {
    const events = fixture(name);
    const detected = detectFormat(events);
    expect(detected.format).toBe(format);
    expect(detected.confidence).toBeGreaterThanOrEqual(0.9);
    for (const event of events) expect(detectFormat([event]).format).toBe(format);
  });

  it("gives each fixture's events a low score in the other adapters", () => {
    for (const [name, format] of CASES.slice(1, 4)) {
      for (const other of EVENT_FORMATS.filter((candidate) => candidate !== format && candidate !== "ecs")) {
        for (const event of fixture(name)) expect(getAdapter(other).detect(event), `${name} as ${other}`).toBe(0);
      }
    }
  });

  it("falls back to ECS when nothing is convincing", () => {
    expect(detectFormat([])).toEqual({ format: "ecs", confidence: 0 });
    expect(detectFormat([{ hello: "world" }, { a: 1 }]).format).toBe("ecs");
    // One Falco-looking event among many unknown ones is not enough.
    const mixed = [{ output_fields: { "proc.name": "nc" }, rule: "r", time: "t" }, { a: 1 }, { b: 2 }];
    expect(detectFormat(mixed)).toEqual({ format: "ecs", confidence: 0 });
    expect(MIN_CONFIDENCE).toBeGreaterThan(0);
  });

  it("lets the majority decide a mixed sample", () => {
    const falco = fixture("falco");
    const tetragon = fixture("tetragon");
    expect(detectFormat([...falco.slice(0, 6), ...tetragon.slice(0, 2)]).format).toBe("falco");
    expect(detectFormat([...falco.slice(0, 2), ...tetragon.slice(0, 6)]).format).toBe("tetragon");
  });

  it("has an adapter for every format", () => {
    for (const format of EVENT_FORMATS) expect(getAdapter(format).format).toBe(format);
  });
});

describe("sniffFormat", () => {
  it.each(CASES.slice(0, 4))("knows every event of %s as %s on its own", (name, format) => {
    for (const event of fixture(name)) expect(sniffFormat(event)).toBe(format);
  });

  it("knows the sensor lines: socket events, unread Tetragon kinds, metrics snapshots, k8s audit alerts", () => {
    const sensors = (file: string) =>
      readFileSync(path.join(import.meta.dirname, "../../e2e/fixtures/sensors", file), "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Json);
    for (const event of sensors("tetragon-network.ndjson")) expect(sniffFormat(event)).toBe("tetragon");
    for (const event of sensors("falco-alerts.ndjson")) expect(sniffFormat(event)).toBe("falco");
  });

  it("knows wrapped ECS and Datadog exports, and nothing else", () => {
    expect(sniffFormat({ _index: "logs", _source: { process: { name: "nc" } } })).toBe("ecs");
    const datadog = fixture("datadog")[0]!;
    expect(sniffFormat({ content: { timestamp: "2026-11-30T09:00:00Z", attributes: datadog } })).toBe("datadog");
    expect(sniffFormat({ attributes: { attributes: datadog } })).toBe("datadog");
    expect(sniffFormat({ hello: "world" })).toBeUndefined();
    expect(sniffFormat({ output_fields: "not an object", rule: "r" })).toBeUndefined();
    expect(sniffFormat({ process_exec: "exec", time: "2026-11-30T09:00:00Z" })).toBeUndefined();
    expect(sniffFormat({ content: { message: "a log line" } })).toBeUndefined();
  });
});
