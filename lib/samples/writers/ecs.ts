/**
 * The story as Elastic Defend for Containers (cloud_defend) writes it: ECS
 * process events (fork, exec, end) with parent, entry, session and group
 * leaders, and file events. D4C has no network events, so connects are left out.
 */
import {
  entryLeader,
  isoMillis,
  processName,
  type SampleContainer,
  type SampleEvent,
  type SampleProcess,
  type SampleStory,
} from "../model";

type Json = Record<string, unknown>;

const AGENT = { id: "0b9b6e2e-7f2a-4a44-9d57-5d3c8f4a2e11", type: "cloud-defend", version: "8.13.2" };
const POLICY = { package_policy_id: "4c8e2a30-1f5b-11ee-8a4d-0f2e6f3b9c11", package_policy_revision: 3 };

function leader(process: SampleProcess, self: SampleProcess, withArgs: boolean): Json {
  return {
    entity_id: process.entityId,
    pid: process.pid,
    name: processName(process),
    executable: process.executable,
    ...(withArgs ? { args: process.argv, args_count: process.argv.length } : {}),
    interactive: process.tty,
    start: isoMillis(process.start),
    working_directory: process.cwd,
    user: { id: String(process.uid) },
    group: { id: String(process.gid) },
    same_as_process: process === self,
  };
}

function processFields(process: SampleProcess): Json {
  const entry = entryLeader(process);
  const parent = process.parent;
  return {
    entity_id: process.entityId,
    pid: process.pid,
    name: processName(process),
    executable: process.executable,
    args: process.argv,
    args_count: process.argv.length,
    command_line: process.argv.join(" "),
    interactive: process.tty,
    working_directory: process.cwd,
    start: isoMillis(process.start),
    user: { id: String(process.uid), name: process.user },
    group: { id: String(process.gid), name: process.group },
    ...(parent
      ? {
          parent: {
            entity_id: parent.entityId,
            pid: parent.pid,
            name: processName(parent),
            executable: parent.executable,
            args: parent.argv,
            args_count: parent.argv.length,
            start: isoMillis(parent.start),
          },
        }
      : {}),
    entry_leader: { ...leader(entry, process, true), entry_meta: { type: "container" } },
    // A container's line of processes is its own session: the entry leader leads it, or its runtime parent does.
    session_leader: leader(entry, process, false),
    group_leader: leader(process, process, false),
  };
}

function containerFields(container: SampleContainer): Json {
  return { id: container.id, name: container.name, image: { name: container.image, tag: container.tag } };
}

function orchestrator(story: SampleStory, container: SampleContainer): Json {
  return {
    cluster: { id: story.host.clusterId, name: story.host.cluster },
    namespace: container.namespace,
    resource: {
      name: container.pod,
      type: "pod",
      ip: [container.podIp],
      label: Object.entries(container.labels).map(([key, value]) => `${key}:${value}`),
    },
  };
}

function eventBlock(event: SampleEvent, index: number): { dataset: string; hook: string; fields: Json } | null {
  const id = `5e3c7a10-${String(index).padStart(4, "0")}`;
  const process = { category: ["process"], dataset: "cloud_defend.process", id, kind: "event", module: "cloud_defend" };
  switch (event.kind) {
    case "exec":
      return {
        dataset: "cloud_defend.process",
        hook: "tracepoint__sched_process_exec",
        fields: { ...process, action: "exec", type: ["start"] },
      };
    case "fork":
      return {
        dataset: "cloud_defend.process",
        hook: "tracepoint__sched_process_fork",
        fields: { ...process, action: "fork", type: ["start"] },
      };
    case "exit":
      return {
        dataset: "cloud_defend.process",
        hook: "tracepoint__sched_process_exit",
        fields: { ...process, action: "end", type: ["end"] },
      };
    case "file":
      return {
        dataset: "cloud_defend.file",
        hook: "lsm__path_mknod",
        fields: {
          action: "creation",
          category: ["file"],
          dataset: "cloud_defend.file",
          id,
          kind: "event",
          module: "cloud_defend",
          type: ["creation"],
        },
      };
    case "connect":
      return null;
  }
}

export function writeEcs(story: SampleStory): string {
  const lines: string[] = [];
  for (const [index, event] of story.events.entries()) {
    const container = event.process.container;
    const block = eventBlock(event, index);
    if (!container || !block) continue;
    const process = processFields(event.process);
    if (event.kind === "exit") {
      process.end = isoMillis(event.time);
      process.exit_code = event.code;
    }
    const record: Json = {
      "@timestamp": isoMillis(event.time),
      agent: AGENT,
      cloud_defend: { hook_point: [block.hook], ...POLICY },
      data_stream: { dataset: block.dataset, namespace: "default", type: "logs" },
      ecs: { version: "8.7.0" },
      event: block.fields,
      host: {
        architecture: "x86_64",
        hostname: story.host.hostname,
        id: story.host.id,
        name: story.host.name,
        ip: [story.host.ip],
        os: { kernel: story.host.kernel, name: "Amazon Linux", platform: "amzn", type: "linux" },
      },
      process,
      ...(event.kind === "file"
        ? {
            file: {
              path: event.path,
              name: event.path.slice(event.path.lastIndexOf("/") + 1),
              ...(extension(event.path) ? { extension: extension(event.path) } : {}),
            },
          }
        : {}),
      user: { id: String(event.process.uid), name: event.process.user },
      container: containerFields(container),
      orchestrator: orchestrator(story, container),
    };
    lines.push(JSON.stringify(record));
  }
  return `${lines.join("\n")}\n`;
}

function extension(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1) : undefined;
}
