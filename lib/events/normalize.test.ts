import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EventFormat } from "./formats/types";
import { type NormalizedItem, normalizeEvents, type StreamFormat } from "./normalize";
import { readEvents } from "./read-events";

const fixtures = path.join(import.meta.dirname, "..", "..", "e2e", "fixtures");

async function normalize(text: string, format: EventFormat | "auto" = "auto"): Promise<NormalizedItem[]> {
  const items: NormalizedItem[] = [];
  const body = (async function* () {
    yield Buffer.from(text);
  })();
  for await (const item of normalizeEvents(readEvents(body), format)) items.push(item);
  return items;
}

describe("normalizeEvents: the text of each event", () => {
  it("is passed on for ECS events kept as parsed, as their line was", async () => {
    const line = '{"@timestamp":"2026-11-23T06:00:01.000Z","event":{"category":["process"]},"process":{"name":"nc"}}';
    expect(await normalize(`${line}\n`, "ecs")).toEqual([{ line: 1, event: JSON.parse(line), text: line }]);
  });

  it("is left out when the adapter changed the event, so nobody stores a text that no longer matches", async () => {
    const epoch = '{"@timestamp":1795413601000,"event":{"category":["process"]},"process":{"name":"nc"}}';
    const hit = '{"_index":"logs","_source":{"@timestamp":"2026-11-23T06:00:01.000Z","process":{"name":"nc"}}}';
    const [fromEpoch] = await normalize(epoch, "ecs");
    const [fromHit] = await normalize(hit, "ecs");
    expect(fromEpoch).toMatchObject({ event: { "@timestamp": "2026-11-23T06:00:01.000Z" } });
    expect(fromHit).toMatchObject({ event: { process: { name: "nc" } } });
    expect(fromEpoch).not.toHaveProperty("text");
    expect(fromHit).not.toHaveProperty("text");
  });

  it.each(["falco.ndjson", "tetragon.ndjson", "datadog.ndjson"])(
    "is left out for %s, whose events are rebuilt as ECS",
    async (file) => {
      const items = await normalize(fs.readFileSync(path.join(fixtures, file), "utf8"));
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item).not.toHaveProperty("text");
    },
  );
});

const sensors = path.join(fixtures, "sensors");

async function normalizeWithFormats(
  text: string,
  format: EventFormat | "auto" = "auto",
): Promise<{ items: NormalizedItem[]; formats: StreamFormat[] }> {
  const items: NormalizedItem[] = [];
  const formats: StreamFormat[] = [];
  const body = (async function* () {
    yield Buffer.from(text);
  })();
  for await (const item of normalizeEvents(readEvents(body), format, (chosen) => formats.push(chosen))) {
    items.push(item);
  }
  return { items, formats };
}

function fixtureLines(file: string): string[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "");
}

describe("normalizeEvents: auto reads each line in its own format", () => {
  const tetragon = fixtureLines(path.join(sensors, "tetragon-network.ndjson")).slice(0, 3);
  const falco = fixtureLines(path.join(sensors, "falco-alerts.ndjson")).slice(0, 3);
  const ecs = fixtureLines(path.join(fixtures, "ecs-cloud-defend.ndjson")).slice(0, 2);
  const interleaved = [tetragon[0], falco[0], ecs[0], tetragon[1], falco[1], ecs[1], tetragon[2], falco[2]];

  it("keeps every line of a stream mixing Tetragon, Falco and ECS, in order, and calls it mixed", async () => {
    const { items, formats } = await normalizeWithFormats(`${interleaved.join("\n")}\n`);
    expect(items.map((item) => item.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const item of items) expect(item).toHaveProperty("event");
    const modules = items.map((item) => ("event" in item ? (item.event.event as { module?: string }).module : null));
    expect(modules).toEqual([
      "tetragon",
      "falco",
      "cloud_defend",
      "tetragon",
      "falco",
      "cloud_defend",
      "tetragon",
      "falco",
    ]);
    expect(formats).toEqual(["tetragon", "mixed"]);
  });

  it("does so for a mixed JSON array too, and past the first events that decide the main format", async () => {
    const many = [...Array.from({ length: 25 }, () => ecs[0]!), tetragon[1]!, falco[0]!];
    const { items, formats } = await normalizeWithFormats(`[\n${many.join(",\n")}\n]`);
    expect(items).toHaveLength(27);
    expect(items.every((item) => "event" in item)).toBe(true);
    expect(items.at(-1)).toMatchObject({ line: 28, event: { rule: { name: "Terminal shell in container" } } });
    expect(formats).toEqual(["ecs", "mixed"]);
  });

  it("reports a single-format stream's format once", async () => {
    const { formats } = await normalizeWithFormats(fs.readFileSync(path.join(fixtures, "tetragon.ndjson"), "utf8"));
    expect(formats).toEqual(["tetragon"]);
  });

  it("lets the stream's main format explain a line that is no format at all", async () => {
    const garbled = '{"time": "2026-11-30T09:20:00Z", "node_name": "n1", "process_exec": "exec"}';
    // Mostly Tetragon, so Tetragon's adapter says what is wrong with the line that is no format.
    const lines = [tetragon[0], tetragon[1], garbled, tetragon[2], falco[0]];
    const { items, formats } = await normalizeWithFormats(`${lines.join("\n")}\n`);
    expect(items[2]).toEqual({ line: 3, error: expect.stringMatching(/^not a Tetragon process event/) });
    expect(formats).toEqual(["tetragon", "mixed"]);
    const alone = await normalizeWithFormats('{"hello": "world"}\n');
    expect(alone.items).toEqual([{ line: 1, error: "@timestamp: missing; every ECS event needs a @timestamp" }]);
    expect(alone.formats).toEqual(["ecs"]);
  });
});

describe("normalizeEvents: lines that are not events", () => {
  it.each(["auto", "falco"] as const)(
    "reports a stream's Falco metrics snapshots once, counted (%s)",
    async (format) => {
      const text = fs.readFileSync(path.join(sensors, "falco-alerts.ndjson"), "utf8");
      const { items } = await normalizeWithFormats(text, format);
      const errors = items.filter((item) => "error" in item);
      expect(errors).toEqual([
        {
          line: 4,
          error:
            "not an event: 2 Falco metrics snapshots (lines 4, 8) skipped; Keelwatch stores events and alerts, not a sensor's own metrics",
          notEvent: { kind: "Falco metrics snapshot", count: 2 },
        },
      ]);
      expect(items.filter((item) => "event" in item)).toHaveLength(6);
    },
  );

  it("lists at most ten lines and says so", async () => {
    const snapshot = fixtureLines(path.join(sensors, "falco-alerts.ndjson"))[3]!;
    const { items } = await normalizeWithFormats(`${Array.from({ length: 12 }, () => snapshot).join("\n")}\n`);
    expect(items).toEqual([
      {
        line: 1,
        error:
          "not an event: 12 Falco metrics snapshots (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …) skipped; Keelwatch stores events and alerts, not a sensor's own metrics",
        notEvent: { kind: "Falco metrics snapshot", count: 12 },
      },
    ]);
  });
});
