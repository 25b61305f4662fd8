/**
 * Falco output as teams ship it: syscall alerts, Kubernetes audit alerts (ka.* fields) and the
 * metrics snapshots Falco writes among them. The lines are in e2e/fixtures/sensors/, shaped as
 * Falco's documentation, blog and Elastic's Falco integration samples show them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { falcoAdapter } from "./falco";

type Json = Record<string, unknown>;

const lines = readFileSync(path.join(import.meta.dirname, "../../../e2e/fixtures/sensors/falco-alerts.ndjson"), "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line) as Json);

function alert(rule: string): Json {
  const found = lines.find((line) => line.rule === rule);
  if (!found) throw new Error(`no "${rule}" alert in the fixture`);
  return found;
}

function convert(raw: Json): Json {
  const result = falcoAdapter.toEcs(raw);
  if (!result.ok) throw new Error(`${result.field ?? ""}: ${result.message}`);
  return result.event;
}

describe("Falco alerts keep what a promotion rule needs", () => {
  it.each([
    ["Terminal shell in container", "Notice", 2, "syscall"],
    ["Read sensitive file untrusted", "Warning", 3, "syscall"],
    ["Contact K8S API Server From Container", "Notice", 2, "syscall"],
    ["Attach/Exec Pod", "Notice", 2, "k8s_audit"],
    ["Disallowed K8s User", "Warning", 3, "k8s_audit"],
    ["K8s Secret Listed From A Pod", "Critical", 5, "k8s_audit"],
  ])("%s: an alert with its rule, priority, output and tags", (rule, priority, severity, source) => {
    const raw = alert(rule);
    expect(convert(raw)).toMatchObject({
      event: { kind: "alert", module: "falco", provider: source, severity },
      rule: { name: rule },
      log: { level: priority.toLowerCase() },
      falco: { priority, source, output_fields: raw.output_fields },
      message: raw.output,
      tags: raw.tags,
    });
  });
});

describe("Falco syscall alerts", () => {
  it("maps the terminal shell to a process start in its container and pod", () => {
    expect(convert(alert("Terminal shell in container"))).toMatchObject({
      "@timestamp": "2026-11-30T09:21:14.402717235Z",
      event: { category: ["process"], type: ["start"], action: "exec" },
      process: {
        name: "bash",
        executable: "/usr/bin/bash",
        interactive: true,
        entry_leader: { same_as_process: true },
      },
      container: { id: "3f1c2b9a7d6e", image: { name: "registry.example.com/shop/web-frontend", tag: "2.14.1" } },
      orchestrator: { namespace: "shop", resource: { name: "web-frontend-7d9f8b6c5-x2k4q", type: "pod" } },
    });
  });

  it("maps the file read to file fields, with the image digests Falco lists", () => {
    expect(convert(alert("Read sensitive file untrusted"))).toMatchObject({
      event: { category: ["file"], type: ["info"], action: "openat" },
      file: { path: "/etc/shadow", name: "shadow" },
      container: {
        image: { hash: { all: ["sha256:5f2a8c1d9e7b4a3c6d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e"] } },
      },
    });
  });

  it("maps the API server connection's ports and transport", () => {
    const event = convert(alert("Contact K8S API Server From Container"));
    expect(event).toMatchObject({
      event: { category: ["network"], action: "connect" },
      source: { port: 43210 },
      destination: { port: 443 },
      network: { transport: "tcp" },
    });
    expect(event).not.toHaveProperty("file");
  });
});

describe("Falco Kubernetes audit alerts", () => {
  it("maps Attach/Exec Pod's ka.* fields to the user, the target and kubernetes.audit", () => {
    const event = convert(alert("Attach/Exec Pod"));
    expect(event).toMatchObject({
      "@timestamp": "2026-11-30T09:29:46.302906000Z",
      event: { category: ["api"], type: ["info"] },
      user: { name: "kubernetes-admin" },
      orchestrator: {
        type: "kubernetes",
        namespace: "hello-app",
        resource: { type: "pod", name: "nginx-676b6c5bbc-4xc6t" },
      },
      kubernetes: {
        audit: {
          user: { username: "kubernetes-admin" },
          objectRef: {
            resource: "pods",
            subresource: "exec",
            namespace: "hello-app",
            name: "nginx-676b6c5bbc-4xc6t",
          },
        },
      },
      host: { name: "my-pool-1-node-921b61" },
    });
    expect(event).not.toHaveProperty("process");
  });

  it("maps the verb, URI and response code, and leaves out nulls", () => {
    expect(convert(alert("Disallowed K8s User"))).toMatchObject({
      event: { action: "patch", type: ["change"] },
      user: { name: "yacht" },
      orchestrator: { resource: { type: "event", name: "my-pool-1.18051c0a88716868" } },
      url: { original: "/api/v1/namespaces/default/events/my-pool-1.18051c0a88716868" },
      http: { response: { status_code: 403 } },
      kubernetes: { audit: { verb: "patch", responseStatus: { code: 403 } } },
    });
    const secrets = convert(alert("K8s Secret Listed From A Pod"));
    expect(secrets).toMatchObject({
      event: { action: "list", type: ["access"] },
      orchestrator: { namespace: "prod", resource: { type: "secret" } },
      user: { name: "system:serviceaccount:shop:web-frontend" },
    });
    expect(secrets).not.toHaveProperty("source");
    expect(secrets).not.toHaveProperty("orchestrator.resource.name");
  });
});

describe("Falco metrics snapshots", () => {
  it("are refused as not an event, with the kind normalizeEvents counts them by", () => {
    const snapshots = lines.filter((line) => line.rule === "Falco internal: metrics snapshot");
    expect(snapshots).toHaveLength(2);
    for (const snapshot of snapshots) {
      expect(falcoAdapter.toEcs(snapshot)).toEqual({
        ok: false,
        message: 'a Falco metrics snapshot (rule "Falco internal: metrics snapshot"), not an event',
        notEvent: "Falco metrics snapshot",
      });
    }
    // Recognised by its fields too, when the rule name is not there (a renamed or stripped record).
    const { rule: _rule, ...unnamed } = snapshots[0]!;
    expect(falcoAdapter.toEcs(unnamed)).toMatchObject({ ok: false, notEvent: "Falco metrics snapshot" });
  });
});

describe("Falco times", () => {
  it("takes a collector's date when Falco's time was taken out of the record", () => {
    const { time: _time, ...raw } = alert("Attach/Exec Pod");
    const { "evt.time": _evtTime, ...fields } = raw.output_fields as Json;
    expect(convert({ ...raw, output_fields: fields, date: 1796030986.302906 })).toMatchObject({
      "@timestamp": "2026-11-30T09:29:46.302Z",
    });
  });
});
