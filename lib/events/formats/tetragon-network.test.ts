/**
 * Tetragon beyond process start and end: socket events, probe hits of a TracingPolicy, lines
 * without `time`, and kinds not read yet. The lines are in e2e/fixtures/sensors/, shaped as
 * Tetragon's documentation and testdata show them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tetragonAdapter } from "./tetragon";

type Json = Record<string, unknown>;

const lines = readFileSync(
  path.join(import.meta.dirname, "../../../e2e/fixtures/sensors/tetragon-network.ndjson"),
  "utf8",
)
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as Json);

function line(kind: string, index = 0): Json {
  const found = lines.filter((entry) => Object.hasOwn(entry, kind));
  if (!found[index]) throw new Error(`no ${kind} line ${index} in the fixture`);
  return found[index];
}

function convert(raw: Json): Json {
  const result = tetragonAdapter.toEcs(raw);
  if (!result.ok) throw new Error(`${result.field ?? ""}: ${result.message}`);
  return result.event;
}

describe("Tetragon socket events", () => {
  it("maps process_connect to a network connection attempt from the process's socket to the peer", () => {
    const event = convert(line("process_connect", 1));
    expect(event).toMatchObject({
      "@timestamp": "2026-11-30T09:20:02.021000000Z",
      event: {
        kind: "event",
        category: ["network"],
        type: ["start", "connection"],
        action: "connection_attempted",
        dataset: "tetragon.process_connect",
      },
      network: { transport: "tcp", direction: "egress" },
      source: { ip: "10.88.0.7", port: 49168 },
      destination: { ip: "142.250.180.196", port: 443 },
      process: {
        name: "nc",
        executable: "/usr/bin/nc",
        args: ["/usr/bin/nc", "raiz3gjkgtfhkkc.not-reverse-shell.com", "443"],
        entity_id: "bWluaWt1YmU6MzM0OTc2NzgxOTUzNTozODMxNA==",
        parent: { name: "bash" },
      },
      container: { id: "551e161c47d8ff0eb665438a7bcd5b4e3ef5a297282b40a92b7c77d6bd168eb3", name: "crawler" },
      orchestrator: { namespace: "tenant-jobs", resource: { name: "crawler-556db57cd7-tkvfd", type: "pod" } },
    });
    expect(convert(line("process_connect"))).toMatchObject({
      network: { transport: "udp" },
      destination: { port: 53 },
    });
  });

  it("makes the peer the source of an accepted connection, as ECS names the side that opened it", () => {
    expect(convert(line("process_accept"))).toMatchObject({
      event: { category: ["network"], type: ["start", "connection"], action: "connection_accepted" },
      network: { direction: "ingress", transport: "tcp" },
      source: { ip: "10.0.0.164", port: 51951 },
      destination: { ip: "10.0.0.111", port: 9080 },
    });
  });

  it("maps listen, close and socket statistics", () => {
    const listen = convert(line("process_listen"));
    expect(listen).toMatchObject({
      event: { type: ["start"], action: "listen" },
      source: { ip: "0.0.0.0", port: 9080 },
      process: { name: "python" },
    });
    expect(listen).not.toHaveProperty("destination");
    expect(convert(line("process_close"))).toMatchObject({
      event: { type: ["end", "connection"], action: "disconnect_received" },
      source: { ip: "10.88.0.7", port: 49168, bytes: 78 },
      destination: { ip: "142.250.180.196", port: 443, bytes: 15221 },
    });
    expect(convert(line("process_sock_stats"))).toMatchObject({
      event: { category: ["network"], type: ["info", "connection"], action: "socket_stats" },
      source: { ip: "10.0.0.111", port: 18083, bytes: 48 },
      destination: { ip: "10.0.0.33", port: 53, bytes: 153 },
      network: { transport: "udp" },
      tetragon: { destination_pod: { namespace: "kube-system", name: "coredns-787d4945fb-xmr4s" } },
    });
  });
});

describe("Tetragon probe events", () => {
  it("makes a TracingPolicy hit an alert with the policy as rule and the action taken", () => {
    const event = convert(line("process_kprobe"));
    expect(event).toMatchObject({
      event: {
        kind: "alert",
        category: ["network"],
        type: ["start", "connection", "denied"],
        action: "tcp_connect",
      },
      rule: { name: "block-metadata-egress", ruleset: "tetragon" },
      tetragon: { action: "KPROBE_ACTION_SIGKILL", return_action: "KPROBE_ACTION_POST" },
      message: "Connection to the cloud metadata service",
      tags: ["network", "credential-access"],
      source: { ip: "10.88.0.7", port: 49170 },
      destination: { ip: "169.254.169.254", port: 80 },
      network: { transport: "tcp", type: "ipv4" },
      process: { name: "nc" },
    });
  });

  it("keeps a probe without a policy name an ordinary event, with its socket", () => {
    const event = convert(line("process_kprobe", 1));
    expect(event).toMatchObject({
      event: { kind: "event", category: ["network"], type: ["connection"], action: "tcp_sendmsg" },
      destination: { ip: "10.0.2.142", port: 8888 },
    });
    expect(event).not.toHaveProperty("rule");
  });

  it("makes an LSM hook hit an alert too", () => {
    expect(convert(line("process_lsm"))).toMatchObject({
      event: { kind: "alert", category: ["file"], type: ["info"], action: "file_open" },
      rule: { name: "file-monitoring-lsm" },
    });
  });
});

describe("Tetragon times and kinds", () => {
  it("takes a process_exec's time from process.start_time when the line has no time, and says so", () => {
    const raw = line("process_exec");
    expect(raw).not.toHaveProperty("time");
    expect(convert(raw)).toMatchObject({
      "@timestamp": "2026-11-30T09:20:01.861223004Z",
      tetragon: { time_source: "process.start_time" },
      event: { type: ["start"], action: "exec" },
    });
    expect(convert(line("process_connect"))).not.toHaveProperty("tetragon.time_source");
  });

  it("takes a collector's record time before the process's start (Fluent Bit's date)", () => {
    const raw = { ...line("process_exec"), date: 1796031602.5 };
    expect(convert(raw)).toMatchObject({
      "@timestamp": "2026-11-30T09:40:02.500Z",
      tetragon: { time_source: "date" },
    });
  });

  it("refuses a line with no time at all, and one with an unreadable time", () => {
    const noTime = { process_exit: { process: { binary: "/bin/ls", pid: 1 } } };
    expect(tetragonAdapter.toEcs(noTime)).toEqual({
      ok: false,
      field: "time",
      message: "missing (and no process_exit.process.start_time)",
    });
    expect(tetragonAdapter.toEcs({ ...line("process_exec"), time: "yesterday" })).toMatchObject({
      ok: false,
      field: "time",
      message: "not an ISO 8601 date",
    });
  });

  it("names a Tetragon event kind it does not read yet", () => {
    expect(tetragonAdapter.toEcs(line("process_loader"))).toEqual({
      ok: false,
      field: "process_loader",
      message: expect.stringMatching(
        /^Tetragon process_loader events are not read yet; Keelwatch reads process_exec, /,
      ),
    });
    expect(tetragonAdapter.detect(line("process_loader"))).toBeGreaterThanOrEqual(0.5);
  });

  it("calls Tetragon's rate-limit report not an event", () => {
    const report = {
      rate_limit_info: { number_of_dropped_process_events: "1207" },
      node_name: "n1",
      time: "2026-11-30T09:21:00Z",
    };
    expect(tetragonAdapter.toEcs(report)).toMatchObject({ ok: false, notEvent: "Tetragon rate-limit report" });
  });

  it("keeps a process_exit's exit code beside the process fields", () => {
    const exit = { process_exit: { process: line("process_connect").process_connect, status: 137, signal: "SIGKILL" } };
    const raw = { ...exit, time: "2026-11-30T09:20:09Z" };
    (raw.process_exit as Json).process = (line("process_connect", 1).process_connect as Json).process;
    expect(convert(raw)).toMatchObject({ process: { exit_code: 137, name: "nc" }, tetragon: { signal: "SIGKILL" } });
  });
});
