/**
 * The story as Falco's JSON output: Falco writes only when one of its rules
 * matches, so each process start in a container is given the rule that would
 * fire on it — the stock rules for the intrusion and the debug session, and an
 * "audit" rule of the kind teams add (every process started in a container, at
 * Informational priority) for the ordinary activity.
 */
import {
  ancestors,
  entryLeader,
  epochNanos,
  isoNanos,
  processName,
  type SampleEvent,
  type SampleProcess,
  type SampleStory,
  SHELLS,
} from "../model";

type Json = Record<string, unknown>;

interface FalcoRule {
  rule: string;
  priority: "Critical" | "Warning" | "Notice" | "Informational";
  message: string;
  tags: string[];
}

const NETWORK_TOOLS = new Set([
  "nc",
  "ncat",
  "netcat",
  "nmap",
  "dig",
  "nslookup",
  "tcpdump",
  "tshark",
  "ngrep",
  "socat",
]);

function ruleFor(process: SampleProcess): FalcoRule {
  const name = processName(process);
  const parentName = process.parent ? processName(process.parent) : "";
  if (process.executable.startsWith("/tmp/") && name === "nc" && process.argv.includes("-e")) {
    return {
      rule: "Netcat Remote Code Execution in Container",
      priority: "Warning",
      message: "Netcat runs inside container that allows remote code execution",
      tags: ["container", "maturity_stable", "mitre_execution", "network", "process", "T1059"],
    };
  }
  if (process.executable.startsWith("/tmp/")) {
    return {
      rule: "Drop and execute new binary in container",
      priority: "Critical",
      message: "Executing binary not part of base image",
      tags: ["container", "maturity_stable", "mitre_persistence", "process", "TA0003", "PCI_DSS_11.5.1"],
    };
  }
  if (NETWORK_TOOLS.has(name)) {
    return {
      rule: "Launch Suspicious Network Tool in Container",
      priority: "Notice",
      message: "Network tool launched in container",
      tags: ["container", "maturity_incubating", "mitre_execution", "network", "process", "TA0011", "T1059"],
    };
  }
  if (SHELLS.has(name) && process.tty && entryLeader(process) === process) {
    return {
      rule: "Terminal shell in container",
      priority: "Notice",
      message: "A shell was spawned in a container with an attached terminal",
      tags: ["container", "maturity_stable", "mitre_execution", "shell", "T1059"],
    };
  }
  if (SHELLS.has(name) && process.parent?.container && !SHELLS.has(parentName)) {
    return {
      rule: "Run shell untrusted",
      priority: "Notice",
      message: "Shell spawned by untrusted binary",
      tags: ["container", "host", "maturity_stable", "mitre_execution", "process", "shell", "T1059.004"],
    };
  }
  return {
    rule: "Container process audit",
    priority: "Informational",
    message: "Process started in container",
    tags: ["audit", "container", "process"],
  };
}

function clock(event: SampleEvent): string {
  return `${isoNanos(event.time, event.nanos).slice(11, 29)}`;
}

export function writeFalco(story: SampleStory): string {
  const lines: string[] = [];
  for (const event of story.events) {
    const process = event.process;
    const container = process.container;
    if (event.kind !== "exec" || !container) continue;
    const rule = ruleFor(process);
    const parent = process.parent;
    const name = processName(process);
    const args = process.argv.slice(1).join(" ");
    const cmdline = args ? `${name} ${args}` : name;
    const shortId = container.id.slice(0, 12);
    const fields: Json = {
      "container.id": shortId,
      "container.name": container.name,
      "container.image.repository": container.image,
      "container.image.tag": container.tag,
      "container.image.digest": container.digest,
      "k8s.ns.name": container.namespace,
      "k8s.pod.name": container.pod,
      "user.name": process.user,
      "user.uid": process.uid,
      "user.loginuid": -1,
      "group.gid": process.gid,
      "group.name": process.group,
      // Written as a placeholder: nanoseconds since the epoch exceed a double's exact range.
      "evt.time": "__EVT_TIME__",
      "evt.type": "execve",
      "proc.name": name,
      "proc.exe": process.argv[0] ?? process.executable,
      "proc.exepath": process.executable,
      "proc.cmdline": cmdline,
      "proc.args": args,
      "proc.pid": process.pid,
      "proc.vpid": process.vpid,
      "proc.tty": process.tty ? 34816 : 0,
      "proc.cwd": process.cwd.endsWith("/") ? process.cwd : `${process.cwd}/`,
      ...(parent
        ? {
            "proc.ppid": parent.pid,
            "proc.pname": processName(parent),
            "proc.pexepath": parent.executable,
            "proc.pcmdline": parent.argv.join(" "),
          }
        : {}),
    };
    for (const [index, ancestor] of ancestors(process).slice(1, 4).entries()) {
      fields[`proc.aname[${index + 2}]`] = processName(ancestor);
      fields[`proc.aexepath[${index + 2}]`] = ancestor.executable;
    }
    const output =
      `${clock(event)}: ${rule.priority} ${rule.message} (evt_type=execve user=${process.user} ` +
      `user_uid=${process.uid} process=${name} proc_exepath=${process.executable} ` +
      `parent=${parent ? processName(parent) : "<NA>"} command=${cmdline} terminal=${fields["proc.tty"]} ` +
      `container_id=${shortId} container_name=${container.name})`;
    const record: Json = {
      hostname: story.host.hostname,
      output,
      priority: rule.priority,
      rule: rule.rule,
      source: "syscall",
      tags: rule.tags,
      time: isoNanos(event.time, event.nanos),
      output_fields: fields,
    };
    lines.push(JSON.stringify(record).replace('"__EVT_TIME__"', epochNanos(event.time, event.nanos)));
  }
  return `${lines.join("\n")}\n`;
}
