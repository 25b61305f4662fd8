/**
 * Falco JSON output (json_output: true): one alert per line with the rule,
 * priority, the formatted `output` and `output_fields`, a flat map of the Falco
 * fields the rule's output names (proc.*, user.*, container.*, k8s.*, evt.*).
 * Falco only emits when one of its rules matched, so events are ECS alerts
 * (event.kind "alert") carrying the Falco rule under rule.name.
 */
import type { AdaptResult, FormatAdapter } from "./types";
import { basename, id, integer, isoTimestamp, type Json, object, put, share, splitArgs, strings, text } from "./util";

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

/** Falco priorities on the 0-7 scale Elastic's Falco integration gives event.severity (syslog's, reversed). */
const SEVERITY: Record<string, number> = {
  emergency: 7,
  alert: 6,
  critical: 5,
  error: 4,
  warning: 3,
  notice: 2,
  informational: 1,
  info: 1,
  debug: 0,
};

/**
 * Falco's priority as a risk score from 0 to 100, the scale of Elastic's rules (21 low, 47 medium, 73 high, 99
 * critical), grouped as the promotion rule groups priorities into severities: Falco has no score of its own, and
 * without one every promoted alert would carry the rule's 47, so sorting by risk could not tell a Critical from a
 * Notice.
 */
const RISK_SCORE: Record<string, number> = {
  emergency: 99,
  alert: 99,
  critical: 99,
  error: 73,
  warning: 73,
  notice: 47,
  informational: 21,
  info: 21,
  debug: 21,
};

/**
 * Falco's periodic metrics snapshot (metrics.output_rule, or a line of metrics.output_file): an "alert" of
 * its internal source, not an event. Known by its rule, or by the counters no rule's output names.
 */
function isMetricsSnapshot(raw: Json, fields: Json): boolean {
  if (raw.rule === "Falco internal: metrics snapshot") return true;
  return Object.hasOwn(fields, "falco.version") && Object.hasOwn(fields, "falco.num_evts");
}

/** ECS event.type of a Kubernetes API verb. */
const VERB_TYPES: Record<string, string> = {
  create: "creation",
  delete: "deletion",
  deletecollection: "deletion",
  update: "change",
  patch: "change",
  get: "access",
  list: "access",
  watch: "access",
};

/** "pods" → "pod", "networkpolicies" → "networkpolicy", "ingresses" → "ingress": the kind's name, as the other adapters write it. */
function singular(resource: string): string {
  if (resource.endsWith("ies")) return `${resource.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(resource)) return resource.slice(0, -2);
  return resource.endsWith("s") ? resource.slice(0, -1) : resource;
}

/**
 * Kubernetes audit alerts (source k8s_audit, ka.* fields): the API call as ECS (user, verb as
 * event.action, the target as orchestrator.*, source address, user agent, status) and as the
 * kubernetes.audit.* fields of Elastic's Kubernetes audit integration, which Elastic's own
 * Kubernetes rules read (objectRef.subresource has no ECS field).
 */
function auditFields(event: Json, f: (name: string) => unknown): void {
  const verb = text(f("ka.verb"));
  const resource = text(f("ka.target.resource"));
  const subresource = text(f("ka.target.subresource"));
  const namespace = text(f("ka.target.namespace"));
  const name = text(f("ka.target.name"));
  const sourceIps = strings(f("ka.sourceips")) ?? (text(f("ka.sourceips")) ? [text(f("ka.sourceips"))!] : undefined);
  put(event, "event.category", ["api"]);
  put(event, "event.type", [VERB_TYPES[verb ?? ""] ?? "info"]);
  put(event, "event.action", verb);
  put(event, "user.name", text(f("ka.user.name")));
  put(event, "user.group.name", strings(f("ka.user.groups")));
  put(event, "orchestrator.type", "kubernetes");
  put(event, "orchestrator.namespace", namespace);
  put(event, "orchestrator.resource.type", resource ? singular(resource) : undefined);
  put(event, "orchestrator.resource.name", name);
  put(event, "url.original", text(f("ka.uri")));
  put(event, "source.ip", sourceIps?.[0]);
  put(event, "user_agent.original", text(f("ka.useragent")));
  put(event, "http.response.status_code", integer(f("ka.response.code")));
  put(event, "kubernetes.audit.verb", verb);
  put(event, "kubernetes.audit.auditID", text(f("ka.auditid")));
  put(event, "kubernetes.audit.user.username", text(f("ka.user.name")));
  put(event, "kubernetes.audit.user.groups", strings(f("ka.user.groups")));
  put(event, "kubernetes.audit.objectRef.resource", resource);
  put(event, "kubernetes.audit.objectRef.subresource", subresource);
  put(event, "kubernetes.audit.objectRef.namespace", namespace);
  put(event, "kubernetes.audit.objectRef.name", name);
  put(event, "kubernetes.audit.requestURI", text(f("ka.uri")));
  put(event, "kubernetes.audit.sourceIPs", sourceIps);
  put(event, "kubernetes.audit.userAgent", text(f("ka.useragent")));
  put(event, "kubernetes.audit.responseStatus.code", integer(f("ka.response.code")));
}

/** Socket and file fields of a syscall alert (fd.*), as Elastic's Falco integration maps them. */
function fdFields(event: Json, f: (name: string) => unknown, category: string): void {
  put(event, "source.ip", text(f("fd.lip")) ?? text(f("fd.cip")));
  put(event, "source.port", integer(f("fd.lport")) ?? integer(f("fd.cport")));
  put(event, "destination.ip", text(f("fd.rip")) ?? text(f("fd.sip")));
  put(event, "destination.port", integer(f("fd.rport")) ?? integer(f("fd.sport")));
  put(event, "network.transport", text(f("fd.l4proto")));
  const fdType = text(f("fd.type"));
  if (category === "file" || fdType === "file" || fdType === "directory") {
    put(event, "file.path", text(f("fd.name")));
    put(event, "file.directory", text(f("fd.directory")));
    put(event, "file.name", text(f("fd.filename")) ?? basename(text(f("fd.name"))));
  }
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
    if (isMetricsSnapshot(raw, fields)) {
      return {
        ok: false,
        message: 'a Falco metrics snapshot (rule "Falco internal: metrics snapshot"), not an event',
        notEvent: "Falco metrics snapshot",
      };
    }
    // `date`, `@timestamp`, `timestamp`: the record time a collector adds (Fluent Bit's `date`, into which its
    // parser moves `time`; Vector's `timestamp`).
    const timestamp =
      isoTimestamp(raw.time) ??
      isoTimestamp(fields["evt.time.iso8601"]) ??
      isoTimestamp(fields["evt.time"]) ??
      isoTimestamp(raw.date) ??
      isoTimestamp(raw["@timestamp"]) ??
      isoTimestamp(raw.timestamp);
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
    const priority = text(raw.priority);
    put(event, "log.level", priority?.toLowerCase());
    put(event, "event.severity", SEVERITY[priority?.toLowerCase() ?? ""]);
    put(event, "event.risk_score", RISK_SCORE[priority?.toLowerCase() ?? ""]);
    put(event, "falco.priority", priority);
    put(event, "falco.source", text(raw.source));
    // Falcosidekick's id of the alert, kept so a forwarded alert can be found in Falcosidekick UI.
    put(event, "falco.uuid", text(raw.uuid));
    // Every field the rule's output named, as Falco gave them (the ECS fields below are a reading of them).
    event.falco = { ...object(event.falco), output_fields: { ...fields } };
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
    // A string, or a list of digests in newer Falco releases.
    const digests =
      strings(f("container.image.digest")) ??
      (text(f("container.image.digest")) ? [text(f("container.image.digest"))!] : undefined);
    put(event, "container.image.hash.all", digests);
    put(event, "container.runtime", text(f("container.type")));

    const namespace = text(f("k8s.ns.name"));
    const pod = text(f("k8s.pod.name"));
    if (namespace || pod) put(event, "orchestrator.type", "kubernetes");
    put(event, "orchestrator.namespace", namespace);
    put(event, "orchestrator.resource.name", pod);
    if (pod) put(event, "orchestrator.resource.type", "pod");
    put(event, "orchestrator.resource.id", text(f("k8s.pod.uid")));

    if (raw.source === "k8s_audit" || Object.keys(fields).some((key) => key.startsWith("ka."))) auditFields(event, f);
    else fdFields(event, f, category);

    put(event, "host.name", text(raw.hostname) ?? text(f("evt.hostname")));
    return { ok: true, event };
  },
};
