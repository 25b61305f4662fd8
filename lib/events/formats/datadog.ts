/**
 * Datadog Workload Protection (CWS) event JSON, as shown in the event's JSON
 * view or exported from Logs: {"date", "evt": {"category", "name"}, "process":
 * {"comm", "pid", "ppid", "executable", "argv0", "args", "ancestors", …},
 * "exec": {…}, "container", "host", "tags"}. Datadog's `args` (an array in the
 * agent's JSON, a string in SECL) excludes argv[0], which comes as `argv0`.
 */
import type { AdaptResult, FormatAdapter } from "./types";
import {
  basename,
  id,
  integer,
  isoTimestamp,
  type Json,
  object,
  put,
  share,
  splitArgs,
  splitImage,
  text,
} from "./util";

const CATEGORIES: Record<string, string> = {
  process: "process",
  file: "file",
  network: "network",
  dns: "network",
  kernel: "host",
};

/** "key:value" tags, from a `tags` array or a comma-separated `ddtags` string. */
function tagMap(raw: Json): Map<string, string> {
  const map = new Map<string, string>();
  const list: unknown[] = Array.isArray(raw.tags)
    ? raw.tags
    : typeof raw.ddtags === "string"
      ? raw.ddtags.split(",")
      : [];
  for (const tag of list) {
    if (typeof tag !== "string") continue;
    const colon = tag.indexOf(":");
    if (colon > 0 && !map.has(tag.slice(0, colon).trim())) map.set(tag.slice(0, colon).trim(), tag.slice(colon + 1));
  }
  return map;
}

function executablePath(process: Json | undefined): string | undefined {
  return text(object(process?.executable)?.path) ?? text(object(process?.file)?.path);
}

function executableName(process: Json | undefined): string | undefined {
  return (
    text(object(process?.executable)?.name) ?? text(object(process?.file)?.name) ?? basename(executablePath(process))
  );
}

/**
 * argv with argv[0] first. The agent's JSON has `argv0` and `args` (an array
 * without argv[0]); SECL-style exports have `argv` (array) or `args` (string).
 */
function argv(process: Json | undefined): string[] | undefined {
  if (!process) return undefined;
  const list = Array.isArray(process.args) ? process.args : Array.isArray(process.argv) ? process.argv : undefined;
  const rest = list
    ? list.filter((arg): arg is string => typeof arg === "string")
    : typeof process.args === "string"
      ? splitArgs(process.args)
      : undefined;
  const first = text(process.argv0) ?? executablePath(process) ?? text(process.comm);
  if (!rest && !first) return undefined;
  return [...(first ? [first] : []), ...(rest ?? [])];
}

function processFields(process: Json | undefined, exec: Json | undefined): Json {
  const out: Json = {};
  const path = executablePath(process) ?? executablePath(exec);
  const args = argv(process) ?? argv(exec);
  put(out, "pid", integer(process?.pid) ?? integer(exec?.pid));
  put(out, "executable", path);
  put(out, "name", executableName(process) ?? executableName(exec) ?? text(process?.comm) ?? text(exec?.comm));
  put(out, "args", args);
  put(out, "args_count", args?.length);
  put(out, "command_line", args?.join(" "));
  put(out, "working_directory", text(process?.cwd));
  put(out, "start", isoTimestamp(process?.exec_time) ?? isoTimestamp(process?.fork_time));
  const tty = text(process?.tty ?? exec?.tty);
  if (process?.tty !== undefined || exec?.tty !== undefined) put(out, "interactive", !!tty && tty !== "null");
  if (tty && tty !== "null") put(out, "tty.name", tty);
  return out;
}

/**
 * Log exports wrap the event: Log Explorer's JSON as {"content": {"timestamp",
 * "host", "tags", "attributes": {…event}}}, the Logs API as {"attributes":
 * {"timestamp", "host", "tags", "attributes": {…event}}}. The event is taken
 * out, with the envelope's time, host and tags where the event lacks its own.
 */
function unwrap(raw: Json): Json {
  if (object(raw.evt)) return raw;
  for (const envelope of [object(raw.content), object(raw.attributes)]) {
    const inner = object(envelope?.attributes);
    if (!envelope || !inner || !object(inner.evt)) continue;
    return {
      ...inner,
      date: inner.date ?? inner.timestamp ?? envelope.timestamp,
      host: inner.host ?? envelope.host,
      tags: inner.tags ?? envelope.tags,
    };
  }
  return raw;
}

export const datadogAdapter: FormatAdapter = {
  format: "datadog",
  label: "Datadog Workload Protection (CWS) event JSON",

  detect(wrapped) {
    const sample = unwrap(wrapped);
    const evt = object(sample.evt);
    if (!evt) return 0;
    let score = 0.5;
    if (typeof evt.name === "string" || typeof evt.category === "string") score += 0.2;
    const process = object(sample.process);
    if (process && (process.comm !== undefined || object(process.executable) || Array.isArray(process.ancestors))) {
      score += 0.2;
    }
    score += 0.1 * share(sample, ["date", "timestamp"]);
    return Math.min(1, score);
  },

  toEcs(wrapped): AdaptResult {
    const raw = unwrap(wrapped);
    const evt = object(raw.evt);
    if (!evt) return { ok: false, field: "evt", message: "missing or not an object" };
    const rawTime = raw.date ?? raw.timestamp ?? raw["@timestamp"];
    const timestamp = isoTimestamp(rawTime);
    if (!timestamp) {
      return {
        ok: false,
        field: raw.date !== undefined ? "date" : "timestamp",
        message: rawTime === undefined ? "missing (neither date nor timestamp)" : "not a date",
      };
    }
    const process = object(raw.process);
    const exec = object(raw.exec);
    if (raw.process !== undefined && !process) return { ok: false, field: "process", message: "not an object" };

    const event: Json = { "@timestamp": timestamp };
    const name = text(evt.name);
    const category = CATEGORIES[text(evt.category) ?? ""] ?? (process ? "process" : undefined);
    put(event, "event.kind", "event");
    put(event, "event.category", category ? [category] : undefined);
    if (name === "exec" || name === "fork") {
      put(event, "event.type", ["start"]);
      put(event, "event.action", name);
    } else if (name === "exit") {
      put(event, "event.type", ["end"]);
      put(event, "event.action", "end");
    } else {
      put(event, "event.type", ["info"]);
      put(event, "event.action", name);
    }
    put(event, "event.outcome", text(evt.outcome)?.toLowerCase());
    put(event, "event.module", "datadog");
    put(event, "event.dataset", "datadog.cws");
    // An event the agent sent because one of its Workload Protection rules matched: the sensor's own alert.
    const agent = object(raw.agent);
    const ruleId = text(agent?.rule_id);
    if (ruleId) {
      put(event, "event.kind", "alert");
      put(event, "rule.id", ruleId);
      // Agent rules are named by their id; the signal's title says what happened.
      put(event, "rule.name", ruleId);
      put(event, "rule.version", text(agent?.rule_version));
      put(event, "rule.ruleset", text(agent?.policy_name));
      put(event, "datadog.policy_version", text(agent?.policy_version));
      put(event, "datadog.rule_actions", Array.isArray(agent?.rule_actions) ? agent.rule_actions : undefined);
    }
    put(event, "message", text(raw.title) ?? text(raw.message));

    // For exec events `process` already describes the new image; `exec` fills what it lacks.
    const self = processFields(process, name === "exec" ? exec : undefined);
    const ancestors = Array.isArray(process?.ancestors)
      ? process.ancestors.map(object).filter((entry): entry is Json => entry !== undefined)
      : [];
    // Datadog lists ancestors nearest first: the parent is ancestors[0].
    const parentSource = object(process?.parent) ?? ancestors[0];
    const parent = parentSource ? processFields(parentSource, undefined) : {};
    put(parent, "pid", integer(process?.ppid) ?? parent.pid);
    if (Object.keys(parent).length > 0) self.parent = parent;
    event.process = self;

    if (ancestors.length > 0) {
      put(event, "keelwatch.process.ancestors", {
        executable: ancestors.map(executablePath).filter((path): path is string => !!path),
        name: ancestors
          .map((entry) => executableName(entry) ?? text(entry.comm))
          .filter((value): value is string => !!value),
      });
    }

    const user = text(process?.user) ?? text(object(raw.usr)?.name);
    put(event, "user.name", user);
    put(event, "user.id", id(process?.uid) ?? id(object(process?.credentials)?.uid) ?? id(object(raw.usr)?.id));
    put(event, "group.name", text(process?.group));
    put(event, "group.id", id(process?.gid));

    const tags = tagMap(raw);
    const container = object(raw.container);
    const containerId = text(object(process?.container)?.id) ?? text(container?.id) ?? tags.get("container_id");
    put(event, "container.id", containerId);
    put(event, "container.name", text(container?.name) ?? tags.get("container_name"));
    const image = container?.image;
    if (typeof image === "string") {
      const parts = splitImage(image);
      put(event, "container.image.name", parts.name);
      put(event, "container.image.tag", parts.tag);
    } else {
      put(event, "container.image.name", text(object(image)?.name) ?? tags.get("image_name"));
      put(event, "container.image.tag", text(object(image)?.tag) ?? tags.get("image_tag"));
    }
    // The entry leader is the first process of its line inside the container: if the nearest ancestor is not in
    // the same container (e.g. containerd-shim, runc), this process is it. Unknown without ancestors.
    if (containerId && ancestors.length > 0) {
      put(event, "process.entry_leader.same_as_process", text(object(ancestors[0]?.container)?.id) !== containerId);
    }

    const namespace = tags.get("kube_namespace");
    const pod = tags.get("pod_name");
    if (namespace || pod) put(event, "orchestrator.type", "kubernetes");
    put(event, "orchestrator.namespace", namespace);
    put(event, "orchestrator.resource.name", pod);
    if (pod) put(event, "orchestrator.resource.type", "pod");
    put(event, "orchestrator.cluster.name", tags.get("kube_cluster_name"));

    const host = raw.host;
    put(
      event,
      "host.name",
      text(host) ?? text(object(host)?.name) ?? text(object(host)?.hostname) ?? text(raw.hostname),
    );
    put(event, "host.id", text(object(host)?.id));
    return { ok: true, event };
  },
};
