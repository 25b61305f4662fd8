import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { compareEvents } from "../../eql";
import type { CliIO } from "../io";
import { UsageError } from "../io";
import { createOrderCheck, eqlCommand, formatStats, HeldLines, parseStats } from "./eql";

const events = [
  {
    id: 3,
    "@timestamp": "2026-01-01T00:00:03Z",
    event: { category: "process" },
    process: { name: "nc", entity_id: "A" },
  },
  {
    id: 1,
    "@timestamp": "2026-01-01T00:00:01Z",
    event: { category: "process" },
    process: { name: "bash", entity_id: "A" },
  },
  { id: 2, "@timestamp": "2026-01-01T00:00:02Z", event: { category: "network" }, process: { entity_id: "A" } },
];

const workspaces: string[] = [];
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "keelwatch-eql-test-"));
  workspaces.push(dir);
  writeFileSync(path.join(dir, "events.ndjson"), `${events.map((e) => JSON.stringify(e)).join("\n")}\nnot json\n`);
  writeFileSync(path.join(dir, "events.json.gz"), gzipSync(JSON.stringify(events)));
  return dir;
}

async function runEql(argv: string[], cwd: string, stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += chunk;
  });
  stderr.on("data", (chunk) => {
    err += chunk;
  });
  const io: CliIO = { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr, env: { NODE_ENV: "test" }, cwd };
  const code = await eqlCommand.run(argv, io);
  return { code, out, err };
}

const ids = (out: string) =>
  out
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe("keelwatch eql", () => {
  it("prints matching events in time order and reports bad lines on stderr", async () => {
    const dir = workspace();
    const { code, out, err } = await runEql(["--events", "events.ndjson", "--query", "process where true"], dir);
    expect(code).toBe(0);
    expect(ids(out).map((event) => event.id)).toEqual([1, 3]);
    expect(err).toMatch(/^events\.ndjson line 4(, column \d+)?: invalid JSON/);
  });

  it("prints sequences with their join keys, from a gzipped JSON array", async () => {
    const dir = workspace();
    const query = 'sequence by process.entity_id [process where process.name == "bash"] [network where true]';
    const { code, out } = await runEql(["--events", "events.json.gz", "--query", query], dir);
    expect(code).toBe(0);
    expect(ids(out).map((line) => [line.sequence.map((e: { id: number }) => e.id), line.join_keys])).toEqual([
      [[1, 2], ["A"]],
    ]);
  });

  it("reads the query from a file and events from stdin, and honours --size", async () => {
    const dir = workspace();
    writeFileSync(path.join(dir, "query.eql"), "any where true");
    const stdin = events.map((e) => JSON.stringify(e)).join("\n");
    const { out } = await runEql(["--events", "-", "--query-file", "query.eql", "--size", "2"], dir, stdin);
    expect(ids(out).map((event) => event.id)).toEqual([1, 2]);
  });

  it("exits 2 with line and column for a bad query, before reading events", async () => {
    const { code, out, err } = await runEql(["--events", "missing.ndjson", "--query", "process wher true"], tmpdir());
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(/^line 1, column 9: /);
  });

  it("exits 1 for a file that does not exist and refuses unclear usage", async () => {
    expect((await runEql(["--events", "nope.ndjson", "--query", "any where true"], tmpdir())).code).toBe(1);
    await expect(runEql(["--events", "x"], tmpdir())).rejects.toBeInstanceOf(UsageError);
    await expect(runEql(["--events", "x", "--query", "a", "--size", "-1"], tmpdir())).rejects.toThrow(/--size/);
  });

  it("prints stats on request: events read, matches, elapsed ms, peak RSS, and that the input was sorted", async () => {
    const dir = workspace();
    const { err } = await runEql(["--events", "events.json.gz", "--query", "any where true", "--stats"], dir);
    expect(err).toMatch(
      /^keelwatch eql stats: events_read=3 skipped=0 prefiltered=0 matches=3 elapsed_ms=\d+ peak_rss_mib=\d+\.\d order=sorted$/m,
    );
    const stats = parseStats(err);
    expect(stats).toMatchObject({ eventsRead: 3, skipped: 0, matches: 3, order: "sorted" });
    // The process running vitest holds far more than 1 MiB: a real high-water mark, not a placeholder.
    expect(stats?.peakRssBytes).toBeGreaterThan(1024 ** 2);
  });

  it("streams a file already in time order, with the same results as sorting it", async () => {
    const dir = workspace();
    const ordered = [...events].sort((a, b) => a.id - b.id);
    writeFileSync(path.join(dir, "ordered.ndjson"), `${ordered.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const query = 'sequence by process.entity_id [process where process.name == "bash"] [network where true]';
    const streamed = await runEql(["--events", "ordered.ndjson", "--query", query, "--stats"], dir);
    const sorted = await runEql(["--events", "events.json.gz", "--query", query, "--stats"], dir);
    expect(parseStats(streamed.err)?.order).toBe("streamed");
    expect(parseStats(sorted.err)?.order).toBe("sorted");
    expect(streamed.out).toBe(sorted.out);
    expect(parseStats(streamed.err)?.matches).toBe(1);
  });

  it("fills samples in file order in one streamed pass, up to --max-samples-per-key per key", async () => {
    const dir = workspace();
    // events.ndjson is out of time order (3, 1, 2): a sample takes 3 first, as Elasticsearch takes index order.
    const query = "sample by process.entity_id [process where true] [network where true]";
    const one = await runEql(["--events", "events.ndjson", "--query", query, "--stats"], dir);
    expect(ids(one.out).map((line) => line.sample.map((e: { id: number }) => e.id))).toEqual([[3, 2]]);
    expect(parseStats(one.err)?.order).toBe("streamed");
    const two = await runEql(["--events", "events.ndjson", "--query", query, "--max-samples-per-key", "2"], dir);
    expect(ids(two.out).map((line) => line.sample.map((e: { id: number }) => e.id))).toEqual([
      [3, 2],
      [1, 2],
    ]);
    await expect(
      runEql(["--events", "events.ndjson", "--query", query, "--max-samples-per-key", "0"], dir),
    ).rejects.toThrow(/--max-samples-per-key/);
  });

  it("compares ECS fields by type, and the fields of --mapping FILE by theirs", async () => {
    const dir = workspace();
    const typed = [
      {
        id: 1,
        "@timestamp": "2026-01-01T00:00:01Z",
        event: { category: "network" },
        source: { ip: "10.1.2.3" },
        v: "1.10.0",
      },
      {
        id: 2,
        "@timestamp": "2026-01-01T00:00:02Z",
        event: { category: "network" },
        source: { ip: "8.8.8.8" },
        v: "1.9.0",
      },
    ];
    writeFileSync(path.join(dir, "typed.ndjson"), `${typed.map((e) => JSON.stringify(e)).join("\n")}\n`);
    writeFileSync(
      path.join(dir, "mapping.json"),
      JSON.stringify({ logs: { mappings: { properties: { v: { type: "version" } } } } }),
    );
    const cidr = await runEql(["--events", "typed.ndjson", "--query", 'network where source.ip == "10.0.0.0/8"'], dir);
    expect(ids(cidr.out).map((event) => event.id)).toEqual([1]);
    const query = 'network where v > "1.9.5"';
    expect(ids((await runEql(["--events", "typed.ndjson", "--query", query], dir)).out)).toEqual([]);
    const versions = await runEql(["--events", "typed.ndjson", "--query", query, "--mapping", "mapping.json"], dir);
    expect(ids(versions.out).map((event) => event.id)).toEqual([1]);
    writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ properties: { v: { type: 7 } } }));
    await expect(runEql(["--events", "typed.ndjson", "--query", query, "--mapping", "bad.json"], dir)).rejects.toThrow(
      '--mapping bad.json: properties.v: "type" must be a string',
    );
    await expect(runEql(["--events", "typed.ndjson", "--query", query, "--mapping", "none.json"], dir)).rejects.toThrow(
      "no such mapping file: none.json",
    );
  });

  it("skips lines that cannot match before parsing them, with the same output as reading every line", async () => {
    const dir = workspace();
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const name = i % 100 === 7 ? "nc" : i % 100 === 8 ? "NC" : "bash";
      lines.push(
        JSON.stringify({
          id: i,
          "@timestamp": 1_767_225_600_000 + i,
          event: { category: "process" },
          process: { name },
        }),
      );
    }
    lines.splice(2500, 0, "{broken", '{"id":"x","process":{"name":"n\\u0063"}}');
    writeFileSync(path.join(dir, "many.ndjson"), `${lines.join("\n")}\n`);
    for (const query of [
      'process where process.name == "nc"',
      'process where process.name : "nc"',
      "process where true",
    ]) {
      const fast = await runEql(["--events", "many.ndjson", "--query", query, "--stats"], dir);
      const full = await runEql(["--events", "many.ndjson", "--query", query, "--stats", "--no-prefilter"], dir);
      expect(fast.out, query).toBe(full.out);
      expect(fast.err.split("\n")[0], query).toMatch(/^many\.ndjson line 2501, column 2: invalid JSON/);
      expect(parseStats(full.err)?.prefiltered).toBe(0);
      if (query !== "process where true") expect(parseStats(fast.err)?.prefiltered).toBeGreaterThan(1000); // all but the first 64 KiB
    }
  });

  it("reports a bad line once when an out-of-order file is read a second time", async () => {
    const dir = workspace();
    const lines = ["{oops", ...events.map((e) => JSON.stringify(e))];
    writeFileSync(path.join(dir, "late.ndjson"), `${lines.join("\n")}\n`);
    const { out, err } = await runEql(["--events", "late.ndjson", "--query", "process where true", "--stats"], dir);
    expect(ids(out).map((event) => event.id)).toEqual([1, 3]);
    expect(err.match(/late\.ndjson line 1\b/g)).toHaveLength(1);
    expect(parseStats(err)).toMatchObject({ eventsRead: 3, skipped: 1, matches: 2, order: "sorted" });
  });

  it("formats and parses the stats line both ways, and finds none in other text", () => {
    const stats = {
      eventsRead: 1_000_000,
      skipped: 2,
      prefiltered: 7,
      matches: 31,
      elapsedMs: 5234,
      peakRssBytes: 200 * 1024 ** 2,
      order: "streamed" as const,
    };
    expect(formatStats(stats)).toBe(
      "keelwatch eql stats: events_read=1000000 skipped=2 prefiltered=7 matches=31 elapsed_ms=5234 peak_rss_mib=200.0 order=streamed",
    );
    expect(parseStats(`noise\n${formatStats(stats)}\n`)).toEqual(stats);
    expect(parseStats("events.ndjson line 3: invalid JSON\n")).toBeNull();
    // A line from before the prefilter reads as none skipped.
    expect(parseStats(formatStats(stats).replace(" prefiltered=7", ""))?.prefiltered).toBe(0);
    expect(() => parseStats("keelwatch eql stats: events_read=x order=sorted")).toThrow(/events_read/);
  });

  it("checks arrival order exactly as the sort orders events: time, tiebreaker, missing times last", () => {
    const at = (time: string | undefined, seq?: number) => ({
      ...(time === undefined ? {} : { "@timestamp": time }),
      ...(seq === undefined ? {} : { event: { sequence: seq } }),
    });
    const cases: { options: { tiebreakerField?: string }; events: Record<string, unknown>[] }[] = [
      { options: {}, events: [at("2026-01-01T00:00:01Z"), at("2026-01-01T00:00:02Z"), at(undefined)] },
      { options: {}, events: [at(undefined), at("2026-01-01T00:00:01Z")] },
      { options: {}, events: [at("2026-01-01T00:00:02Z"), at("2026-01-01T00:00:01Z")] },
      { options: {}, events: [at("2026-01-01T00:00:01Z", 2), at("2026-01-01T00:00:01Z", 1)] },
      {
        options: { tiebreakerField: "event.sequence" },
        events: [at("2026-01-01T00:00:01Z", 2), at("2026-01-01T00:00:01Z", 1)],
      },
      {
        options: { tiebreakerField: "event.sequence" },
        events: [at("2026-01-01T00:00:01Z", 1), at("2026-01-01T00:00:01Z", 2)],
      },
      { options: { tiebreakerField: "event.sequence" }, events: [at(undefined, 2), at(undefined, 1)] },
      { options: {}, events: [at("2026-01-01T00:00:01.5Z"), at("1767225601499")] },
    ];
    for (const { options, events: list } of cases) {
      const check = createOrderCheck(options);
      const compare = compareEvents(options);
      const expected = list.every((event, i) => i === 0 || compare(list[i - 1] as typeof event, event) <= 0);
      expect(
        list.every((event) => check(event)),
        JSON.stringify({ options, list }),
      ).toBe(expected);
    }
  });

  it("holds output lines in memory up to a limit, then in a temporary file it removes, in order either way", async () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ n: i, text: "é".repeat(i % 7) }));
    const expected = lines.map((line) => `${line}\n`).join("");
    for (const limit of [Number.POSITIVE_INFINITY, 40]) {
      const held = new HeldLines(limit);
      for (const line of lines) held.add(line);
      const spill = held.spillFile;
      expect(spill === null).toBe(limit === Number.POSITIVE_INFINITY);
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      await held.writeTo({
        stdin: Readable.from([]),
        stdout,
        stderr: new PassThrough(),
        env: { NODE_ENV: "test" },
        cwd: tmpdir(),
      });
      held.dispose();
      expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
      expect(held.count).toBe(50);
      if (spill) expect(existsSync(spill)).toBe(false);
    }
    // Discarded without being written (an out-of-order file): the file goes too.
    const voided = new HeldLines(1);
    voided.add("a");
    voided.add("b");
    const spill = voided.spillFile as string;
    expect(existsSync(spill)).toBe(true);
    voided.dispose();
    expect(existsSync(spill)).toBe(false);
  });
});
