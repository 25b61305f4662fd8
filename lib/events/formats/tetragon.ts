/**
 * Tetragon JSON export (the export file / `tetra getevents -o json`): one
 * object per line keyed by the event type, e.g. {"process_exec": {"process",
 * "parent", "ancestors"}, "node_name", "time"}. process_exec and process_exit
 * map to process start/end; probe events (process_kprobe, process_tracepoint,
 * process_uprobe, process_lsm) keep their process context as "info" events.
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
  text,
} from "./util";

const PROBE_TYPES = ["process_kprobe", "process_tracepoint", "process_uprobe", "process_lsm"] as const;
const EVENT_TYPES = ["process_exec", "process_exit", ...PROBE_TYPES] as const;

function eventType(raw: Json): { type: (typeof EVENT_TYPES)[number]; body: Json } | undefined {
  for (const type of EVENT_TYPES) {
    const body = object(raw[type]);
    if (body) return { type, body };
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

function probeCategory(body: Json): string {
  const name = `${text(body.function_name) ?? ""} ${text(body.subsys) ?? ""} ${text(body.event) ?? ""}`;
  // A guess from the hooked function's name; these events are kept for context, no built-in rule reads them.
  if (/\b(tcp|udp|inet|sk|sock|net)[_/a-z]*/i.test(name)) return "network";
  if (/(file|fd_install|vfs|open|path|mmap|write|read)/i.test(name)) return "file";
  return "process";
}

export const tetragonAdapter: FormatAdapter = {
  format: "tetragon",
  label: "Tetragon JSON export",

  detect(sample) {
    const found = eventType(sample);
    if (!found) return 0;
    const process = object(found.body.process);
    let score = 0.6;
    if (process && (process.exec_id !== undefined || process.binary !== undefined)) score += 0.25;
    if (sample.node_name !== undefined || sample.time !== undefined) score += 0.15;
    return Math.min(1, score);
  },

  toEcs(raw): AdaptResult {
    const found = eventType(raw);
    if (!found) {
      const keys = Object.keys(raw).slice(0, 5).join(", ");
      return {
        ok: false,
        message: `not a Tetragon process event: expected one of ${EVENT_TYPES.join(", ")} (keys: ${keys || "none"})`,
      };
    }
    const { type, body } = found;
    const timestamp = isoTimestamp(raw.time);
    if (!timestamp) {
      return { ok: false, field: "time", message: raw.time === undefined ? "missing" : "not an ISO 8601 date" };
    }
    const process = object(body.process);
    if (!process) return { ok: false, field: `${type}.process`, message: "missing or not an object" };

    const event: Json = { "@timestamp": timestamp };
    put(event, "event.kind", "event");
    put(event, "event.module", "tetragon");
    put(event, "event.dataset", `tetragon.${type}`);
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
    } else {
      put(event, "event.category", [probeCategory(body)]);
      put(event, "event.type", ["info"]);
      const action =
        text(body.function_name) ??
        (text(body.subsys) && text(body.event) ? `${body.subsys}/${body.event}` : undefined) ??
        text(body.event);
      put(event, "event.action", action ?? type);
      put(event, "rule.name", text(body.policy_name));
    }

    const self = processFields(process);
    const parentObject = object(body.parent);
    const parent = parentObject ? processFields(parentObject) : {};
    put(parent, "entity_id", text(process.parent_exec_id) ?? parent.entity_id);
    if (Object.keys(parent).length > 0) self.parent = parent;
    event.process = self;
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
