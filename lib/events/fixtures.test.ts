/**
 * The e2e fixtures through the real input path: readEvents → normalizeEvents
 * (auto-detected format) → ancestry enrichment → the built-in rules on the
 * EQL engine. This pins which fixture events each rule must alert on, for
 * every format, so an adapter change that breaks a detection shows here.
 */
import { createReadStream } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AncestryTracker, type ProcessInfo } from "@/lib/enrich/ancestry";
import { run } from "@/lib/eql";
import { loadBuiltinRules } from "@/lib/rules/load";
import type { Rule } from "@/lib/rules/schema";
import type { EventFormat } from "./formats/types";
import { normalizeEvents, type StreamFormat } from "./normalize";
import { readEvents } from "./read-events";

type Json = Record<string, unknown>;

const FIXTURES = path.join(import.meta.dirname, "../../e2e/fixtures");
const NETWORK_TOOL = "Suspicious Network Tool Launched Inside A Container";
const INTERACTIVE_SHELL = "Suspicious Interactive Shell Spawned From Inside A Container";
const NETWORK_UTILITY = "Network utility executed in container";

async function ingest(name: string): Promise<{ format?: StreamFormat; events: Json[]; errors: unknown[] }> {
  let format: StreamFormat | undefined;
  const events: Json[] = [];
  const errors: unknown[] = [];
  const items = readEvents(createReadStream(path.join(FIXTURES, `${name}.ndjson`), { highWaterMark: 97 }));
  for await (const item of normalizeEvents(items, "auto", (chosen) => {
    format = chosen;
  })) {
    if ("event" in item) events.push(item.event);
    else errors.push(item);
  }
  await new AncestryTracker(async () => new Map<string, ProcessInfo>()).enrich(events);
  return { format, events, errors };
}

/** "HH:MM:SS name" of each event a rule alerts on. */
function hits(rule: Rule, events: Json[]): string[] {
  const results = run(rule.query, events, {
    eventCategoryField: rule.eventCategoryField,
    timestampField: rule.timestampField,
  });
  return results.flatMap((result) => {
    if (result.kind !== "event") return [];
    const event = result.event as { "@timestamp": string; process?: { name?: string } };
    return [`${event["@timestamp"].slice(11, 19)} ${event.process?.name}`];
  });
}

let rules: Rule[];
const byName = (name: string) => rules.find((rule) => rule.name === name)!;

beforeAll(async () => {
  rules = await loadBuiltinRules();
});

const EXPECTED: Record<string, { format: EventFormat; count: number; alerts: Record<string, string[]> }> = {
  "ecs-cloud-defend": {
    format: "ecs",
    count: 15,
    alerts: {
      [NETWORK_TOOL]: ["10:04:22 nc", "10:05:02 timeout", "10:06:11 nslookup"],
      [INTERACTIVE_SHELL]: ["10:04:11 sh", "10:09:01 script"],
      [NETWORK_UTILITY]: ["10:06:11 nslookup"],
    },
  },
  falco: {
    format: "falco",
    count: 10,
    alerts: {
      [NETWORK_TOOL]: ["10:04:22 nc", "10:05:02 nmap", "10:06:11 nslookup"],
      [INTERACTIVE_SHELL]: ["10:04:11 sh"],
      [NETWORK_UTILITY]: ["10:06:11 nslookup"],
    },
  },
  tetragon: {
    format: "tetragon",
    count: 12,
    alerts: {
      [NETWORK_TOOL]: ["10:04:22 nc", "10:05:02 timeout", "10:06:11 nslookup"],
      // Tetragon's args start with the binary's path, so `sh -c …` matches process.args: "*/*sh" too.
      [INTERACTIVE_SHELL]: ["10:04:11 sh", "10:06:02 sh"],
      [NETWORK_UTILITY]: ["10:06:11 nslookup"],
    },
  },
  datadog: {
    format: "datadog",
    count: 11,
    alerts: {
      [NETWORK_TOOL]: ["10:04:22 nc", "10:06:11 nslookup", "10:07:12 dig"],
      [INTERACTIVE_SHELL]: ["10:04:11 sh"],
      [NETWORK_UTILITY]: ["10:06:11 nslookup"],
    },
  },
};

describe("fixtures through input, adapters, ancestry and the built-in rules", () => {
  it.each(Object.entries(EXPECTED))("%s", async (name, expected) => {
    const { format, events, errors } = await ingest(name);
    expect(format).toBe(expected.format);
    expect(errors).toEqual([]);
    expect(events).toHaveLength(expected.count);
    for (const [ruleName, alerts] of Object.entries(expected.alerts)) {
      expect(hits(byName(ruleName), events), ruleName).toEqual(alerts);
    }
  });

  it("bad-lines: keeps the good lines and reports each bad one with its line", async () => {
    const { format, events, errors } = await ingest("bad-lines");
    expect(format).toBe("ecs");
    expect(events).toHaveLength(3);
    // normalizeEvents passes read errors on at once but holds events until the format is known: sort by line.
    const byLine = [...errors].sort((a, b) => (a as { line: number }).line - (b as { line: number }).line);
    expect(byLine).toEqual([
      { line: 2, column: expect.any(Number), error: expect.stringMatching(/^invalid JSON: /) },
      { line: 3, error: expect.stringMatching(/^invalid JSON: /) },
      { line: 5, error: "expected a JSON object, found an array" },
      { line: 7, error: "@timestamp: missing; every ECS event needs a @timestamp" },
      { line: 8, error: expect.stringMatching(/^@timestamp: not a date/) },
      { line: 9, error: "process.args: expected a string or an array of strings, found a number" },
      { line: 10, error: "expected a JSON object, found a number" },
    ]);
  });
});
