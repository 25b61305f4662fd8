/**
 * The story as Datadog Workload Protection (CWS) event JSON, as the agent
 * sends it: each event carries the agent rule that matched, the process with
 * its ancestors (nearest first, with their container), the exec'd image,
 * container and tags. Exec, exit and file-open events; forks are left out.
 */
import {
  ancestors,
  isoMillis,
  processName,
  type SampleEvent,
  type SampleProcess,
  type SampleStory,
  SHELLS,
} from "../model";

type Json = Record<string, unknown>;

const NETWORK_TOOLS = new Set([
  "nc",
  "ncat",
  "netcat",
  "nmap",
  "dig",
  "nslookup",
  "host",
  "tcpdump",
  "tshark",
  "socat",
]);
const PACKAGE_MANAGERS = new Set(["apt-get", "apt", "apk", "dpkg", "yum", "dnf"]);

/** The agent rule that reported the event, and the title Datadog shows for it. */
function agentRule(event: SampleEvent): { id: string; title: string } {
  const process = event.process;
  const name = processName(process);
  if (event.kind === "file") {
    return process.container && event.path.startsWith("/tmp/")
      ? { id: "tmp_executable_created", title: "Executable file created in /tmp" }
      : { id: "file_created_in_container", title: "File created in container" };
  }
  if (event.kind === "exit") return { id: "process_exit_audit", title: "Process exited" };
  if (NETWORK_TOOLS.has(name)) return { id: "net_util_in_container", title: "Network utility executed in container" };
  if (process.executable.startsWith("/tmp/")) {
    return { id: "new_binary_execution_in_container", title: "Binary not in the image executed in container" };
  }
  if (SHELLS.has(name) && process.argv.includes("-i")) {
    return { id: "interactive_shell_in_container", title: "Interactive shell started in container" };
  }
  if (SHELLS.has(name) && process.parent && /php-fpm|nginx/.test(process.parent.executable)) {
    return { id: "shell_spawned_by_web_app", title: "Shell spawned by a web application" };
  }
  if (PACKAGE_MANAGERS.has(name))
    return { id: "package_management_in_container", title: "Package manager run in container" };
  return { id: "process_exec_audit", title: "Process executed in container" };
}

function executable(process: SampleProcess): Json {
  const upper = process.executable.startsWith("/tmp/") || process.executable.startsWith("/usr/bin/tcpdump");
  return {
    path: process.executable,
    name: processName(process),
    filesystem: process.container ? "overlay" : "xfs",
    uid: 0,
    gid: 0,
    mode: 33261,
    in_upper_layer: upper,
  };
}

function processFields(process: SampleProcess): Json {
  return {
    pid: process.pid,
    ppid: process.parent?.pid ?? 0,
    tid: process.pid,
    uid: process.uid,
    gid: process.gid,
    user: process.user,
    group: process.group,
    comm: processName(process).slice(0, 15),
    ...(process.tty ? { tty: "pts0" } : {}),
    executable: executable(process),
    argv0: process.argv[0] ?? process.executable,
    args: process.argv.slice(1),
    args_truncated: false,
    exec_time: isoMillis(process.start),
    fork_time: isoMillis(process.start),
    ...(process.container ? { container: { id: process.container.id } } : {}),
  };
}

export function writeDatadog(story: SampleStory): string {
  const lines: string[] = [];
  for (const event of story.events) {
    const process = event.process;
    const container = process.container;
    if (!container || event.kind === "fork" || event.kind === "connect") continue;
    const rule = agentRule(event);
    const self = processFields(process);
    const record: Json = {
      date: isoMillis(event.time),
      host: story.host.name,
      service: container.workload,
      source: "runtime-security-agent",
      title: rule.title,
      agent: { rule_id: rule.id, version: "7.58.2", origin: "ebpf" },
      evt: {
        category: event.kind === "file" ? "file" : "process",
        name: event.kind === "file" ? "open" : event.kind,
        outcome: "Success",
      },
      process: {
        ...self,
        ...(event.kind === "exit" ? { exit_time: isoMillis(event.time) } : {}),
        ancestors: ancestors(process).map(processFields),
      },
      ...(event.kind === "file"
        ? {
            file: {
              path: event.path,
              name: event.path.slice(event.path.lastIndexOf("/") + 1),
              flags: ["O_WRONLY", "O_CREAT", "O_TRUNC"],
              mode: 420,
              in_upper_layer: true,
              filesystem: "overlay",
            },
          }
        : {}),
      ...(event.kind === "exit" ? { exit: { cause: "EXITED", code: event.code } } : {}),
      ...(event.kind === "exec" ? { exec: { pid: process.pid, ...self } } : {}),
      container: { id: container.id, created_at: isoMillis(container.startedAt) },
      tags: [
        `kube_namespace:${container.namespace}`,
        `pod_name:${container.pod}`,
        `kube_cluster_name:${story.host.cluster}`,
        `image_name:${container.image}`,
        `image_tag:${container.tag}`,
        `short_image:${container.image.slice(container.image.lastIndexOf("/") + 1)}`,
        `container_name:${container.name}`,
        `kube_${container.workloadKind.toLowerCase()}:${container.workload}`,
        "env:prod",
      ],
    };
    lines.push(JSON.stringify(record));
  }
  return `${lines.join("\n")}\n`;
}
