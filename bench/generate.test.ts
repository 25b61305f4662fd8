import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile, createRunner } from "../lib/eql";
import { loadBuiltinRules } from "../lib/rules/load";
import { type BenchEvent, eventsFilePath, generateEvents, writeEventsFile } from "./generate";

function take(count: number, seed?: number): BenchEvent[] {
  const out: BenchEvent[] = [];
  for (const event of generateEvents(seed === undefined ? {} : { seed })) {
    if (out.length === count) break;
    out.push(event);
  }
  return out;
}

type ProcessFields = { entity_id: string; name: string; args: string[] };
const processOf = (event: BenchEvent) => event.process as ProcessFields;
const actionOf = (event: BenchEvent) => (event.event as { action: string }).action;

describe("generateEvents", () => {
  const sample = take(30_000);

  it("is deterministic for a seed and differs between seeds", () => {
    expect(JSON.stringify(take(500))).toBe(JSON.stringify(sample.slice(0, 500)));
    expect(JSON.stringify(take(500, 7))).not.toBe(JSON.stringify(sample.slice(0, 500)));
  });

  it("gives strictly increasing timestamps", () => {
    const times = sample.map((event) => Date.parse(event["@timestamp"] as string));
    expect(times.every((time, i) => Number.isFinite(time) && (i === 0 || time > (times[i - 1] as number)))).toBe(true);
  });

  it("follows process lifecycles: fork, then at most one exec, then end, per entity id", () => {
    const seen = new Map<string, string[]>();
    for (const event of sample) {
      const id = processOf(event).entity_id;
      seen.set(id, [...(seen.get(id) ?? []), actionOf(event)]);
    }
    const shapes = new Set([...seen.values()].map((actions) => actions.join(">")));
    // Lifecycles cut off by the end of the sample may lack their exec or end.
    expect([...shapes].sort()).toEqual(["fork", "fork>end", "fork>exec", "fork>exec>end"]);
    const execs = sample.filter((event) => actionOf(event) === "exec").length;
    expect(execs / sample.length).toBeGreaterThan(0.25);
    expect(execs / sample.length).toBeLessThan(0.4);
  });

  it("has ECS process events of the cloud_defend shape", () => {
    for (const event of sample.slice(0, 200)) {
      expect(event.event).toMatchObject({ category: ["process"], module: "cloud_defend" });
      expect(event).toHaveProperty(["container", "id"], expect.stringMatching(/^[0-9a-f]{64}$/));
      expect(event).toHaveProperty(["process", "entry_leader", "entity_id"]);
      expect(event).toHaveProperty(["process", "parent", "entity_id"]);
      expect(typeof (event.host as { name: unknown }).name).toBe("string");
    }
  });

  it("makes each seed rule match roughly 1% of events, and not every event", async () => {
    const all = await loadBuiltinRules();
    // The promotion rules raise the sensors' own alerts; the generator writes plain ECS activity, none of which is one.
    const promotion = all.filter((rule) => rule.tags.includes("Rule Type: Promotion"));
    const rules = all.filter((rule) => !promotion.includes(rule));
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      const runner = createRunner(compile(rule.query));
      const hits = runner.pushAll(sample).length + runner.finish().length;
      expect(hits / sample.length, rule.name).toBeGreaterThan(0.005);
      expect(hits / sample.length, rule.name).toBeLessThan(0.03);
    }
    expect(promotion).toHaveLength(3);
    for (const rule of promotion) {
      const runner = createRunner(compile(rule.query));
      expect(runner.pushAll(sample).length + runner.finish().length, rule.name).toBe(0);
    }
  });
});

describe("writeEventsFile", () => {
  it("writes the generator's events as NDJSON and leaves no partial file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-bench-"));
    try {
      const file = eventsFilePath(2_500, dir);
      await writeEventsFile(file, 2_500);
      const lines = fs.readFileSync(file, "utf8").split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toHaveLength(2_500);
      expect(lines.map((line) => JSON.parse(line))).toEqual(take(2_500));
      expect(fs.readdirSync(path.dirname(file))).toEqual(["events-2500.ndjson"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
