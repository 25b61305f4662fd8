/**
 * Tetragon JSON export (the export file / `tetra getevents -o json`): one
 * object per line keyed by the event type, e.g. {"process_exec": {"process",
 * "parent", "ancestors"}, "node_name", "time"}. process_exec and process_exit
 * map to process start/end; socket events (process_connect, _accept, _listen,
 * _close, _sock_stats) to network events with source and destination; probe
 * events (process_kprobe, _tracepoint, _uprobe, _lsm, _usdt) keep their process
 * context, their socket argument if any, and, when a TracingPolicy named by
 * policy_name matched, are alerts carrying that policy as rule.name.
 */
import type { AdaptResult, FormatAdapter } from "./types";
import {
  bareContainerId,
  basename,
  id,
  integer,
  isoTimestamp,
  type Json,
  object,
  put,
  splitArgs,
  splitImage,
  strings,
  text,
} from "./util";

const PROBE_TYPES = ["process_kprobe", "process_tracepoint", "process_uprobe", "process_lsm", "process_usdt"] as const;
/** Socket events of Tetragon's network observability (Isovalent's build): the process and the socket's addresses. */
const SOCKET_TYPES = [
  "process_connect",
  "process_accept",
  "process_listen",
  "process_close",
  "process_sock_stats",
] as const;
const EVENT_TYPES = ["process_exec", "process_exit", ...PROBE_TYPES, ...SOCKET_TYPES] as const;
type EventType = (typeof EVENT_TYPES)[number];
const KNOWN = new Set<string>(EVENT_TYPES);

/** Other top-level event kinds of Tetragon's GetEventsResponse, named in errors as not read yet. */
const OTHER_KINDS = new Set(["rate_limit_info", "test", "aggregation_info"]);

/** The event's kind and body: the one top-level key Tetragon names the event with. */
function eventType(raw: Json): { type: EventType; body: Json } | undefined {
  for (const type of EVENT_TYPES) {
    const body = object(raw[type]);
    if (body) return { type, body };
  }
  return undefined;
}

/** A Tetragon event kind this adapter does not map (process_loader, process_dns, …), if the line has one. */
function unknownTetragonKind(raw: Json): string | undefined {
  for (const key in raw) {
    if ((key.startsWith("process_") || OTHER_KINDS.has(key)) && !KNOWN.has(key) && object(raw[key])) return key;
  }
  return undefined;
}

/** ECS process fields of one Tetragon Process message. `arguments` excludes argv[0]; binary is the resolved path. */
function processFields(process: Json): Json {
  const out: Json = {};
  const binary = text(process.binary);
  const argString = typeof process.arguments === "string" ? process.arguments : "";
  // Tetragon does not export argv[0]; ECS starts process.args with the executable's path, so that is used.
  const args = binary ? [binary, ...splitArgs(argString)] : splitArgs(argString);
  put(out, "entity_id", text(process.exec_id));
  put(out, "pid", integer(process.pid));
  put(out, "executable", binary);
  put(out, "name", basename(binary));
  put(out, "args", args);
  put(out, "args_count", args.length || undefined);
  put(out, "command_line", binary ? (argString ? `${binary} ${argString}` : binary) : argString);
  put(out, "working_directory", text(process.cwd));
  put(out, "start", isoTimestamp(process.start_time));
  put(out, "user.id", id(process.uid));
  return out;
}

/** Hooked functions whose socket arguments make a probe event a network event; the rest are guessed below. */
function probeCategory(body: Json, hasSocket: boolean): string {
  if (hasSocket) return "network";
  const name = `${text(body.function_name) ?? ""} ${text(body.subsys) ?? ""} ${text(body.event) ?? ""}`;
  // A guess from the hooked function's name; no built-in rule reads probe categories.
  if (/\b(tcp|udp|inet|sk|sock|net)[_/a-z]*/i.test(name)) return "network";
  if (/(file|fd_install|vfs|open|path|mmap|write|read)/i.test(name)) return "file";
  return "process";
}

/**
 * The event's time: `time`, else the time a collector gave the record (Fluent Bit's `date` when its
 * parser took `time` out as the record time, `@timestamp`, or Vector's `timestamp`), else the
 * process's `start_time`.
 * Tetragon's own testdata has process_exec lines without `time`; for an exec the process's start
 * is the event's moment, for other kinds it is the earliest the event can be.
 */
function eventTime(raw: Json, process: Json | undefined): { time: string; from: string } | undefined {
  for (const from of ["time", "date", "@timestamp", "timestamp"]) {
    const time = isoTimestamp(raw[from]);
    if (time) return { time, from };
    if (raw[from] !== undefined && raw[from] !== null) return undefined;
  }
  const start = isoTimestamp(process?.start_time);
  return start ? { time: start, from: "process.start_time" } : undefined;
}

/** "IPPROTO_TCP", "TCP", "tcp" → "tcp" (ECS network.transport is the lower-cased IANA name). */
function transport(value: unknown): string | undefined {
  const name = text(value);
  return name ? name.replace(/^IPPROTO_/i, "").toLowerCase() : undefined;
}

/** "AF_INET" → "ipv4", "AF_INET6" → "ipv6". */
function networkType(family: unknown): string | undefined {
  const name = text(family);
  if (name === "AF_INET") return "ipv4";
  if (name === "AF_INET6") return "ipv6";
  return undefined;
}

type Endpoint = { ip?: string; port?: number };

function putEndpoints(event: Json, source: Endpoint, destination: Endpoint): void {
  put(event, "source.ip", source.ip);
  put(event, "source.port", source.port);
  put(event, "destination.ip", destination.ip);
  put(event, "destination.port", destination.port);
}

/**
 * Socket events. Tetragon reports the process's own socket as source_* and the peer as
 * destination_*; ECS calls the side that opened the connection the source, so for an accepted
 * connection the peer becomes source.* and the local socket destination.*.
 */
function socketFields(event: Json, type: (typeof SOCKET_TYPES)[number], body: Json): void {
  const socket = object(body.socket) ?? body;
  const local: Endpoint = { ip: text(socket.source_ip), port: integer(socket.source_port) };
  const peer: Endpoint = { ip: text(socket.destination_ip), port: integer(socket.destination_port) };
  put(event, "event.category", ["network"]);
  put(event, "network.transport", transport(socket.protocol));
  switch (type) {
    case "process_connect":
      put(event, "event.type", ["start", "connection"]);
      put(event, "event.action", "connection_attempted");
      put(event, "network.direction", "egress");
      putEndpoints(event, local, peer);
      break;
    case "process_accept":
      put(event, "event.type", ["start", "connection"]);
      put(event, "event.action", "connection_accepted");
      put(event, "network.direction", "ingress");
      putEndpoints(event, peer, local);
      break;
    case "process_listen":
      put(event, "event.type", ["start"]);
      put(event, "event.action", "listen");
      putEndpoints(event, { ip: text(socket.ip), port: integer(socket.port) }, {});
      break;
    case "process_close":
      put(event, "event.type", ["end", "connection"]);
      put(event, "event.action", "disconnect_received");
      putEndpoints(event, local, peer);
      break;
    case "process_sock_stats":
      put(event, "event.type", ["info", "connection"]);
      put(event, "event.action", "socket_stats");
      putEndpoints(event, local, peer);
      break;
  }
  const stats = object(body.stats);
  put(event, "source.bytes", integer(stats?.bytes_sent));
  put(event, "destination.bytes", integer(stats?.bytes_received));
  const peerPod = object(socket.destination_pod);
  put(event, "tetragon.destination_pod.namespace", text(peerPod?.namespace));
  put(event, "tetragon.destination_pod.name", text(peerPod?.name));
  const names = strings(socket.destination_names);
  put(event, "destination.domain", names?.[0]);
}

/**
 * The first socket argument of a probe (sock_arg, skb_arg or sockaddr_arg): tcp_connect,
 * tcp_sendmsg, tcp_close and the like carry one. Returns whether there was one.
 */
function probeSocket(event: Json, body: Json): boolean {
  const args = Array.isArray(body.args) ? body.args : [];
  for (const entry of args) {
    const arg = object(entry);
    const sock = object(arg?.sock_arg) ?? object(arg?.skb_arg);
    if (sock) {
      putEndpoints(
        event,
        { ip: text(sock.saddr), port: integer(sock.sport) },
        { ip: text(sock.daddr), port: integer(sock.dport) },
      );
      put(event, "network.transport", transport(sock.protocol) ?? transport(sock.proto));
      put(event, "network.type", networkType(sock.family));
      return true;
    }
    const address = object(arg?.sockaddr_arg);
    if (address) {
      putEndpoints(event, {}, { ip: text(address.addr) ?? text(address.address), port: integer(address.port) });
      put(event, "network.type", networkType(address.family));
      return true;
    }
  }
  return false;
}

/** Probe kinds of the hooked functions that open or close a connection. */
const CONNECTION_START = /(^|_)(connect|accept)/;
const CONNECTION_END = /(^|_)close/;

/** Actions that stop what the process was doing: a hit that was also enforced. */
const ENFORCING_ACTIONS = /SIGKILL|OVERRIDE|NOTIFY_ENFORCER|SIGNAL/;

/**
 * Probe events. A probe with a policy_name is a hit of a TracingPolicy: an alert the sensor
 * raised (event.kind "alert", the policy as rule.name), with the action taken if any.
 */
function probeFields(event: Json, type: (typeof PROBE_TYPES)[number], body: Json): void {
  const hasSocket = probeSocket(event, body);
  const functionName = text(body.function_name);
  const action =
    functionName ??
    (text(body.subsys) && text(body.event) ? `${body.subsys}/${body.event}` : undefined) ??
    text(body.event) ??
    text(body.symbol);
  put(event, "event.category", [probeCategory(body, hasSocket)]);
  const types = !hasSocket
    ? ["info"]
    : CONNECTION_START.test(functionName ?? "")
      ? ["start", "connection"]
      : CONNECTION_END.test(functionName ?? "")
        ? ["end", "connection"]
        : ["connection"];
  const enforcement = text(body.action);
  if (enforcement && ENFORCING_ACTIONS.test(enforcement)) types.push("denied");
  put(event, "event.type", types);
  put(event, "event.action", action ?? type);
  const policy = text(body.policy_name);
  if (policy) {
    put(event, "event.kind", "alert");
    put(event, "rule.name", policy);
    put(event, "rule.ruleset", "tetragon");
  }
  put(event, "tetragon.action", enforcement);
  put(event, "tetragon.return_action", text(body.return_action));
  put(event, "message", text(body.message));
  put(event, "tags", strings(body.tags));
}

export const tetragonAdapter: FormatAdapter = {
  format: "tetragon",
  label: "Tetragon JSON export",

  detect(sample) {
    const found = eventType(sample);
    if (!found) return unknownTetragonKind(sample) ? 0.6 : 0;
    const process = object(found.body.process);
    let score = 0.6;
    if (process && (process.exec_id !== undefined || process.binary !== undefined)) score += 0.25;
    if (sample.node_name !== undefined || sample.time !== undefined) score += 0.15;
    return Math.min(1, score);
  },

  toEcs(raw): AdaptResult {
    const found = eventType(raw);
    if (!found) {
      // Tetragon's own note that its rate limit dropped events: bookkeeping, reported once per stream.
      if (object(raw.rate_limit_info)) {
        return {
          ok: false,
          field: "rate_limit_info",
          message: "Tetragon's report of events its rate limit dropped, not an event",
          notEvent: "Tetragon rate-limit report",
        };
      }
      const kind = unknownTetragonKind(raw);
      if (kind) {
        return {
          ok: false,
          field: kind,
          message: `Tetragon ${kind} events are not read yet; Keelwatch reads ${EVENT_TYPES.join(", ")}`,
        };
      }
      const keys = Object.keys(raw).slice(0, 5).join(", ");
      return {
        ok: false,
        message: `not a Tetragon process event: expected one of ${EVENT_TYPES.join(", ")} (keys: ${keys || "none"})`,
      };
    }
    const { type, body } = found;
    const process = object(body.process);
    const when = eventTime(raw, process);
    if (!when) {
      const given = raw.time ?? raw.date ?? raw["@timestamp"] ?? raw.timestamp;
      return {
        ok: false,
        field: "time",
        message:
          given === undefined || given === null
            ? `missing (and no ${type}.process.start_time)`
            : "not an ISO 8601 date",
      };
    }
    if (!process) return { ok: false, field: `${type}.process`, message: "missing or not an object" };

    const event: Json = { "@timestamp": when.time };
    put(event, "event.kind", "event");
    put(event, "event.module", "tetragon");
    put(event, "event.dataset", `tetragon.${type}`);
    // Said when the time is not the event's own, so an analyst knows what the timestamp means.
    if (when.from !== "time") put(event, "tetragon.time_source", when.from);
    if (type === "process_exec") {
      put(event, "event.category", ["process"]);
      put(event, "event.type", ["start"]);
      put(event, "event.action", "exec");
    } else if (type === "process_exit") {
      put(event, "event.category", ["process"]);
      put(event, "event.type", ["end"]);
      put(event, "event.action", "end");
      put(event, "process.exit_code", integer(body.status));
      put(event, "tetragon.signal", text(body.signal));
    } else if ((SOCKET_TYPES as readonly string[]).includes(type)) {
      socketFields(event, type as (typeof SOCKET_TYPES)[number], body);
    } else {
      probeFields(event, type as (typeof PROBE_TYPES)[number], body);
    }

    const self = processFields(process);
    const parentObject = object(body.parent);
    const parent = parentObject ? processFields(parentObject) : {};
    put(parent, "entity_id", text(process.parent_exec_id) ?? parent.entity_id);
    if (Object.keys(parent).length > 0) self.parent = parent;
    // Fields the kind put under process (exit_code) stay beside the process's own.
    event.process = { ...self, ...object(event.process) };
    put(event, "user.id", id(process.uid));

    // Ancestors beyond the parent come only when Tetragon runs with ancestors enabled; nearest first.
    const ancestors = [parentObject, ...(Array.isArray(body.ancestors) ? body.ancestors.map(object) : [])].filter(
      (entry): entry is Json => entry !== undefined,
    );
    const ancestorPaths = ancestors.map((entry) => text(entry.binary)).filter((path): path is string => !!path);
    if (ancestorPaths.length > 0) {
      put(event, "keelwatch.process.ancestors", {
        executable: ancestorPaths,
        name: ancestorPaths.map((path) => basename(path)!),
      });
    }

    const pod = object(process.pod);
    const container = object(pod?.container);
    put(event, "container.id", bareContainerId(text(container?.id)) ?? text(process.docker));
    put(event, "container.name", text(container?.name));
    const image = object(container?.image);
    const imageName = text(image?.name);
    if (imageName) {
      const parts = splitImage(imageName);
      put(event, "container.image.name", parts.name);
      put(event, "container.image.tag", parts.tag);
    }
    const imageId = text(image?.id);
    const digest = imageId
      ? (splitImage(imageId).digest ?? (imageId.startsWith("sha256:") ? imageId : undefined))
      : undefined;
    put(event, "container.image.hash.all", digest ? [digest] : undefined);
    // The entry leader is the first process of its line inside the container: the container's init (pid 1
    // in its namespace) or a process whose parent is outside the container (e.g. `kubectl exec`).
    if (container) {
      const parentContainer = bareContainerId(text(object(object(parentObject?.pod)?.container)?.id));
      const containerId = bareContainerId(text(container.id));
      const isInit = integer(container.pid) === 1;
      if (isInit || parentObject) {
        put(event, "process.entry_leader.same_as_process", isInit || parentContainer !== containerId);
      }
    }
    if (container?.maybe_exec_probe === true) put(event, "tetragon.maybe_exec_probe", true);

    if (pod) {
      put(event, "orchestrator.type", "kubernetes");
      put(event, "orchestrator.namespace", text(pod.namespace));
      put(event, "orchestrator.resource.name", text(pod.name));
      put(event, "orchestrator.resource.type", "pod");
      const labels = object(pod.pod_labels);
      if (labels) {
        put(
          event,
          "orchestrator.resource.label",
          Object.entries(labels).map(([key, value]) => `${key}=${String(value)}`),
        );
      }
    }
    put(event, "orchestrator.cluster.name", text(raw.cluster_name));
    put(event, "host.name", text(raw.node_name));
    return { ok: true, event };
  },
};
