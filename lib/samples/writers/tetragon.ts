/**
 * The story as Tetragon's JSON export: process_exec and process_exit for every
 * process in a container, and process_kprobe events from two common tracing
 * policies (file writes through security_file_permission, outbound TCP through
 * tcp_connect). Forks are not exported by Tetragon, so they are left out.
 */
import {
  ancestors,
  isoMillis,
  isoNanos,
  type SampleContainer,
  type SampleEvent,
  type SampleProcess,
  type SampleStory,
} from "../model";

type Json = Record<string, unknown>;

/** Tetragon joins argv[1..] with spaces; arguments holding a space are quoted so they read back whole. */
function argumentString(argv: string[]): string {
  return argv
    .slice(1)
    .map((arg) => (/[\s"]/.test(arg) ? `"${arg.replace(/(["\\])/g, "\\$1")}"` : arg))
    .join(" ");
}

function pod(container: SampleContainer, vpid: number | null): Json {
  return {
    namespace: container.namespace,
    name: container.pod,
    container: {
      id: `containerd://${container.id}`,
      name: container.name,
      image: { id: `${container.image}@${container.digest}`, name: `${container.image}:${container.tag}` },
      start_time: isoMillis(container.startedAt).replace(/\.\d{3}Z$/, "Z"),
      pid: vpid,
    },
    pod_labels: container.labels,
    workload: container.workload,
    workload_kind: container.workloadKind,
  };
}

function processMessage(process: SampleProcess): Json {
  const args = argumentString(process.argv);
  return {
    exec_id: process.entityId,
    pid: process.pid,
    uid: process.uid,
    cwd: process.cwd,
    binary: process.executable,
    ...(args ? { arguments: args } : {}),
    flags: process.parent ? "execve clone" : "procFS auid",
    start_time: isoNanos(process.start, process.startNanos),
    auid: 4294967295,
    ...(process.container ? { pod: pod(process.container, process.vpid) } : {}),
    ...(process.container ? { docker: process.container.id.slice(0, 31) } : {}),
    ...(process.parent ? { parent_exec_id: process.parent.entityId } : {}),
    tid: process.pid,
  };
}

function body(event: SampleEvent): { type: string; body: Json } | null {
  const process = processMessage(event.process);
  const parent = event.process.parent ? { parent: processMessage(event.process.parent) } : {};
  switch (event.kind) {
    case "exec": {
      // Exported with --enable-ancestors: the chain beyond the parent, nearest first.
      const beyond = ancestors(event.process).slice(1).map(processMessage);
      return {
        type: "process_exec",
        body: { process, ...parent, ...(beyond.length > 0 ? { ancestors: beyond } : {}) },
      };
    }
    case "exit":
      return {
        type: "process_exit",
        body: { process, ...parent, status: event.code, time: isoNanos(event.time, event.nanos) },
      };
    case "file":
      return {
        type: "process_kprobe",
        body: {
          process,
          ...parent,
          function_name: "security_file_permission",
          args: [{ file_arg: { path: event.path, permission: "-rw-r--r--" } }, { int_arg: 2 }],
          return: { int_arg: 0 },
          action: "KPROBE_ACTION_POST",
          policy_name: "file-monitoring-filtered",
          return_action: "KPROBE_ACTION_POST",
        },
      };
    case "connect":
      return {
        type: "process_kprobe",
        body: {
          process,
          ...parent,
          function_name: "tcp_connect",
          args: [
            {
              sock_arg: {
                family: "AF_INET",
                type: "SOCK_STREAM",
                protocol: "IPPROTO_TCP",
                saddr: event.process.container?.podIp ?? "0.0.0.0",
                daddr: event.address,
                sport: event.sourcePort,
                dport: event.port,
                state: "TCP_SYN_SENT",
              },
            },
          ],
          action: "KPROBE_ACTION_POST",
          policy_name: "monitor-network-activity-outside-cluster",
        },
      };
    case "fork":
      return null;
  }
}

export function writeTetragon(story: SampleStory): string {
  const lines: string[] = [];
  for (const event of story.events) {
    if (!event.process.container) continue;
    const rendered = body(event);
    if (!rendered) continue;
    const record: Json = {
      [rendered.type]: rendered.body,
      node_name: story.host.name,
      time: isoNanos(event.time, event.nanos),
      cluster_name: story.host.cluster,
    };
    lines.push(JSON.stringify(record));
  }
  return `${lines.join("\n")}\n`;
}
