import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EventFormat } from "./formats/types";
import { type NormalizedItem, normalizeEvents } from "./normalize";
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
