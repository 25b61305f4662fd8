import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { setUpTestDatabase } from "../../db/test-database-hooks";
import { ingestEvents } from "../../ingest/ingest";
import { runCli } from "../run-for-test";

const database = setUpTestDatabase();
const START = Date.UTC(2026, 10, 20, 10);

function hunt(argv: string[]) {
  return runCli(["hunt", ...argv], database.url);
}

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

beforeAll(async () => {
  const events = [];
  for (let index = 0; index < 400; index++) {
    const container = index % 2 === 0 ? "web" : "db";
    const name = index % 50 === 0 ? "curl" : "ls";
    events.push({
      "@timestamp": new Date(START + index * 1_000).toISOString(),
      event: { category: ["process"], type: ["start"], action: "exec" },
      container: { id: container },
      host: { name: "node-1" },
      process: { name, entity_id: `p-${index}`, parent: { entity_id: `shell-${container}` } },
    });
  }
  await ingestEvents(bytes(events.map((event) => JSON.stringify(event)).join("\n")), {
    fileName: "cli-hunt.ndjson",
    format: "ecs",
    createdById: null,
    rules: [],
  });
});
afterEach(() => {
  delete process.env.KEELWATCH_HUNT_MAX_EVENTS;
});

const RANGE = ["--from", "2026-11-20T09:00:00Z", "--to", "2026-11-20T11:00:00Z"];

describe("keelwatch hunt", () => {
  it("prints each matching stored event as a JSON line, and a summary on stderr", async () => {
    const { code, out, err } = await hunt(["--query", 'process where process.name == "curl"', ...RANGE]);
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.process.entity_id)).toEqual([
      "p-0",
      "p-50",
      "p-100",
      "p-150",
      "p-200",
      "p-250",
      "p-300",
      "p-350",
    ]);
    expect(err).toMatch(/^hunt: 8 results, 400 events scanned in \d+\.\d s\n$/);
  });

  it("keeps to a container and writes CSV; sequences come with their join keys", async () => {
    const csv = await hunt([
      "--query",
      'process where process.name == "curl"',
      ...RANGE,
      "--container",
      "web",
      "--format",
      "csv",
    ]);
    const rows = parse(csv.out, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row["container.id"])).toEqual(Array(8).fill("web"));
    const sequence = await hunt([
      "--query",
      'sequence by process.parent.entity_id [process where process.name == "curl"] [process where process.name == "ls"]',
      ...RANGE,
    ]);
    const first = JSON.parse(sequence.out.split("\n")[0] as string);
    expect(first.join_keys).toEqual(["shell-web"]);
    expect(first.sequence.map((event: { process: { entity_id: string } }) => event.process.entity_id)).toEqual([
      "p-0",
      "p-2",
    ]);
  });

  it("exits 3 with the reason when a limit cuts the hunt, after printing what it found", async () => {
    process.env.KEELWATCH_HUNT_MAX_EVENTS = "120";
    const { code, out, err } = await hunt(["--query", 'process where process.name == "curl"', ...RANGE]);
    expect(code).toBe(3);
    expect(out.trim().split("\n")).toHaveLength(3);
    expect(err).toContain("hunt: The hunt stopped after scanning 120 events");
  });

  it("exits 2 with line and column for a bad query, and for a bad time", async () => {
    const bad = await hunt(["--query", "process where\n  process.name ==", ...RANGE]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^line 2, column 18: /);
    const time = await hunt(["--query", "any where true", "--from", "yesterday"]);
    expect(time.code).toBe(2);
    expect(time.err).toContain(
      '--from must be an ISO-8601 time (2026-11-20T10:00:00Z) or now-N with s, m, h or d, not "yesterday"',
    );
  });

  it("compares fields by the types of --mapping FILE", async () => {
    const builds = ["1.10.2", "1.4.9"].map((build, index) => ({
      "@timestamp": `2026-11-22T10:00:0${index}Z`,
      event: { category: ["process"], type: ["start"], action: "exec" },
      agent: { build },
      process: { name: "agent", entity_id: `agent-${index}` },
    }));
    await ingestEvents(bytes(builds.map((event) => JSON.stringify(event)).join("\n")), {
      fileName: "builds.ndjson",
      format: "ecs",
      createdById: null,
      rules: [],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-hunt-mapping-"));
    const mapping = path.join(dir, "mapping.json");
    fs.writeFileSync(
      mapping,
      JSON.stringify({ properties: { agent: { properties: { build: { type: "version" } } } } }),
    );
    const args = ["--query", 'process where agent.build > "1.5.0"', "--from", "2026-11-22T09:00:00Z"];
    try {
      // As text, "1.10.2" sorts before "1.5.0"; as a version it is later.
      expect((await hunt([...args, "--to", "2026-11-22T11:00:00Z"])).out).toBe("");
      const typed = await hunt([...args, "--to", "2026-11-22T11:00:00Z", "--mapping", mapping]);
      expect(typed.code).toBe(0);
      expect(JSON.parse(typed.out).process.entity_id).toBe("agent-0");
      fs.writeFileSync(mapping, "{ nope");
      const unreadable = await hunt([...args, "--mapping", mapping]);
      expect(unreadable.code).toBe(2);
      expect(unreadable.err).toContain("mapping.json: not JSON");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
