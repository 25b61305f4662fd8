/**
 * Falco JSON output (json_output: true): one alert per line with the rule,
 * priority, the formatted `output` and `output_fields`, a flat map of the Falco
 * fields the rule's output names (proc.*, user.*, container.*, k8s.*, evt.*).
 * Falco only emits when one of its rules matched, so events are ECS alerts
 * (event.kind "alert") carrying the Falco rule under rule.name.
 */
import type { AdaptResult, FormatAdapter } from "./types";
import { basename, id, integer, isoTimestamp, type Json, object, put, share, splitArgs, text } from "./util";

/** Falco reports "host" (older releases) or "" for events outside any container. */
function containerValue(value: unknown): string | undefined {
  const value_ = text(value);
  return value_ === "host" ? undefined : value_;
}

/**
 * Parents that sit outside the container: a process they start is the first of
 * its line inside the container (Falco's own container_entrypoint macro uses
 * the same list). Elastic calls that process the entry leader.
 */
const CONTAINER_RUNTIMES = new Set([
  "runc",
  "runc:[0:PARENT]",
  "runc:[1:CHILD]",
  "runc:[2:INIT]",
  "docker-runc",
  "docker-runc-cur",
  "exe",
  "containerd-shim",
  "containerd-shim-runc-v2",
  "crun",
  "conmon",
  "crio",
  "systemd",
]);

/** Entry leader of its container: pid 1 in the container's namespace, or started from outside it. */
function isContainerEntryLeader(vpid: number | undefined, parentName: string | undefined): boolean | undefined {
  if (vpid === 1) return true;
  if (parentName !== undefined) return CONTAINER_RUNTIMES.has(parentName);
  return vpid === undefined ? undefined : false;
}

/** Syscalls that start a new program image. */
const EXEC_SYSCALLS = new Set(["execve", "execveat"]);
const NETWORK_SYSCALLS = new Set(["connect", "accept", "accept4", "listen", "bind", "sendto", "recvfrom"]);
const FILE_SYSCALLS = new Set([
  "open",
  "openat",
  "openat2",
  "creat",
  "unlink",
  "unlinkat",
  "rename",
  "renameat",
  "renameat2",
  "chmod",
  "fchmod",
  "fchmodat",
  "mkdir",
  "mkdirat",
  "rmdir",
]);

/**
 * proc.aname[N] / proc.aexepath[N] values by N (1 is the parent, 2 the
 * grandparent, …). The parent may come as proc.pname / proc.pexepath instead.
 */
function byIndex(fields: Json, prefix: string, parentField: string): Map<number, string> {
  const found = new Map<number, string>();
  const parent = text(fields[parentField]);
  if (parent) found.set(1, parent);
  const head = `${prefix}[`;
  for (const [key, value] of Object.entries(fields)) {
    if (!key.startsWith(head) || !key.endsWith("]")) continue;
    const index = Number(key.slice(head.length, -1));
    const value_ = text(value);
    if (Number.isInteger(index) && index >= 1 && value_) found.set(index, value_);
  }
  return found;
}

/** Nearest first; a gap in the indexes ends nothing, the present values keep their order. */
function ordered(values: Map<number, string>): string[] {
  return [...values.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
}

export const falcoAdapter: FormatAdapter = {
  format: "falco",
  label: "Falco JSON output",

  detect(sample) {
    const fields = object(sample.output_fields);
    if (!fields) return 0;
    const envelope = share(sample, ["rule", "priority", "output", "time"]);
    const hasFalcoFields = Object.keys(fields).some((key) => /^(proc|evt|container|k8s|user|fd)\./.test(key));
    return Math.min(1, 0.4 + 0.5 * envelope + (hasFalcoFields ? 0.1 : 0));
  },

  toEcs(raw): AdaptResult {
    const fields = object(raw.output_fields);
    if (!fields) return { ok: false, field: "output_fields", message: "missing or not an object" };
    const timestamp =
      isoTimestamp(raw.time) ?? isoTimestamp(fields["evt.time.iso8601"]) ?? isoTimestamp(fields["evt.time"]);
    if (!timestamp) {
      return {
        ok: false,
        field: "time",
        message: raw.time === undefined ? "missing (and no output_fields evt.time)" : "not an ISO 8601 date",
      };
    }
    const f = (name: string) => fields[name];
    const event: Json = { "@timestamp": timestamp };

    const syscall = text(f("evt.type"));
    const isExec = syscall ? EXEC_SYSCALLS.has(syscall) : false;
    const hasProcess = Object.keys(fields).some((key) => key.startsWith("proc."));
    let category = "process";
    if (syscall && NETWORK_SYSCALLS.has(syscall)) category = "network";
    else if (syscall && FILE_SYSCALLS.has(syscall)) category = "file";
    else if (!hasProcess) category = "host";
    put(event, "event.kind", "alert");
    put(event, "event.category", [category]);
    // Without evt.type an alert cannot be told to be a process start; it stays "info".
    put(event, "event.type", [isExec ? "start" : "info"]);
    put(event, "event.action", isExec ? "exec" : syscall);
    put(event, "event.module", "falco");
    put(event, "event.dataset", "falco.alerts");
    put(event, "event.provider", text(raw.source) ?? "syscall");
    put(event, "event.original", text(raw.output));
    put(event, "message", text(raw.output));
    put(event, "rule.name", text(raw.rule));
    put(event, "log.level", text(raw.priority)?.toLowerCase());
    if (Array.isArray(raw.tags))
      put(
        event,
        "tags",
        raw.tags.filter((tag) => typeof tag === "string"),
      );

    // The process. proc.exe is argv[0] as invoked; proc.exepath the resolved file (Falco ≥ 0.35).
    const name = text(f("proc.name"));
    const argv0 = text(f("proc.exe"));
    const exePath = text(f("proc.exepath")) ?? (argv0?.startsWith("/") ? argv0 : undefined);
    const commandLine = text(f("proc.cmdline"));
    // proc.args is the argument string without argv[0]; proc.cmdline is "name args". Falco joins with spaces.
    const argString = typeof f("proc.args") === "string" ? (f("proc.args") as string) : undefined;
    let args: string[] | undefined;
    if (argString !== undefined) args = [argv0 ?? exePath ?? name ?? "", ...splitArgs(argString)].filter(Boolean);
    else if (commandLine) args = splitArgs(commandLine);
    put(event, "process.name", name ?? basename(exePath));
    put(event, "process.executable", exePath);
    put(event, "process.command_line", commandLine);
    put(event, "process.args", args);
    put(event, "process.args_count", args?.length);
    put(event, "process.pid", integer(f("proc.pid")));
    put(event, "process.working_directory", text(f("proc.cwd")));
    const tty = integer(f("proc.tty"));
    if (tty !== undefined) put(event, "process.interactive", tty !== 0);
    const sameAsEntryLeader = isContainerEntryLeader(integer(f("proc.vpid")), text(f("proc.pname")));
    if (containerValue(f("container.id")) && sameAsEntryLeader !== undefined) {
      put(event, "process.entry_leader.same_as_process", sameAsEntryLeader);
    }
    const sid = integer(f("proc.sid"));
    put(event, "process.session_leader.pid", sid);
    if (sid !== undefined && integer(f("proc.pid")) !== undefined) {
      put(event, "process.session_leader.same_as_process", sid === integer(f("proc.pid")));
    }

    put(event, "process.parent.pid", integer(f("proc.ppid")));
    put(event, "process.parent.name", text(f("proc.pname")));
    put(event, "process.parent.executable", text(f("proc.pexepath")));
    put(event, "process.parent.command_line", text(f("proc.pcmdline")));
    const parentArgs = text(f("proc.pcmdline"));
    if (parentArgs) put(event, "process.parent.args", splitArgs(parentArgs));

    // Ancestors, nearest first: index 1 is the parent, so the list starts with it.
    const ancestorNames = ordered(byIndex(fields, "proc.aname", "proc.pname"));
    const ancestorPaths = ordered(byIndex(fields, "proc.aexepath", "proc.pexepath"));
    if (ancestorNames.length > 0 || ancestorPaths.length > 0) {
      put(event, "keelwatch.process.ancestors", { executable: ancestorPaths, name: ancestorNames });
    }

    put(event, "user.name", text(f("user.name")));
    put(event, "user.id", id(f("user.uid")));
    put(event, "group.name", text(f("group.name")));
    put(event, "group.id", id(f("group.gid")));

    put(event, "container.id", containerValue(f("container.id")));
    put(event, "container.name", containerValue(f("container.name")));
    put(event, "container.image.name", text(f("container.image.repository")));
    put(event, "container.image.tag", text(f("container.image.tag")));
    put(
      event,
      "container.image.hash.all",
      text(f("container.image.digest")) ? [f("container.image.digest")] : undefined,
    );
    put(event, "container.runtime", text(f("container.type")));

    const namespace = text(f("k8s.ns.name"));
    const pod = text(f("k8s.pod.name"));
    if (namespace || pod) put(event, "orchestrator.type", "kubernetes");
    put(event, "orchestrator.namespace", namespace);
    put(event, "orchestrator.resource.name", pod);
    if (pod) put(event, "orchestrator.resource.type", "pod");
    put(event, "orchestrator.resource.id", text(f("k8s.pod.uid")));

    put(event, "host.name", text(raw.hostname) ?? text(f("evt.hostname")));
    return { ok: true, event };
  },
};
