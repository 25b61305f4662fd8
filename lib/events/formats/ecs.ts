/**
 * Elastic Common Schema events, as Elastic Defend for Containers (cloud_defend)
 * writes them. This is the format the Elastic rules are written for, so events
 * are kept as given (nested or dotted keys, extra fields and all); the adapter
 * only checks that the fields rules and the UI rely on have usable types, and
 * writes @timestamp as ISO 8601 UTC.
 */
import type { AdaptResult, FormatAdapter } from "./types";
import { isoTimestamp, type Json, lookup, object } from "./util";

type Kind = "object" | "string" | "id" | "integer" | "boolean";

const PROCESS_LIKE = ["", ".parent", ".entry_leader", ".session_leader", ".group_leader", ".previous"];

/** Fields whose type is checked; anything else passes through untouched. */
const CHECKED: readonly (readonly [string, Kind])[] = [
  ["event", "object"],
  ["event.category", "string"],
  ["event.type", "string"],
  ["event.action", "string"],
  ["event.kind", "string"],
  ["process", "object"],
  ...PROCESS_LIKE.flatMap((suffix): [string, Kind][] => [
    ...(suffix ? ([[`process${suffix}`, "object"]] as [string, Kind][]) : []),
    [`process${suffix}.name`, "string"],
    [`process${suffix}.executable`, "string"],
    [`process${suffix}.args`, "string"],
    [`process${suffix}.args_count`, "integer"],
    [`process${suffix}.command_line`, "string"],
    [`process${suffix}.entity_id`, "string"],
    [`process${suffix}.pid`, "integer"],
    [`process${suffix}.interactive`, "boolean"],
    [`process${suffix}.working_directory`, "string"],
  ]),
  ["process.entry_leader.same_as_process", "boolean"],
  ["process.session_leader.same_as_process", "boolean"],
  ["container", "object"],
  ["container.id", "string"],
  ["container.name", "string"],
  ["container.image", "object"],
  ["container.image.name", "string"],
  ["container.image.tag", "string"],
  ["orchestrator", "object"],
  ["orchestrator.namespace", "string"],
  ["orchestrator.resource.name", "string"],
  ["orchestrator.resource.type", "string"],
  ["orchestrator.cluster.name", "string"],
  ["host", "object"],
  ["host.name", "string"],
  ["host.id", "id"],
  ["user", "object"],
  ["user.name", "string"],
  ["user.id", "id"],
  ["keelwatch.process.ancestors.executable", "string"],
  ["keelwatch.process.ancestors.name", "string"],
];

const CHECKED_SPLIT = CHECKED.map(([field, kind]) => [field, kind, field.split(".")] as const);

/** The checked fields as a tree, to check a nested event in one walk instead of one lookup per field. */
interface CheckNode {
  field: string;
  kind?: Kind;
  children: Map<string, CheckNode>;
}

const CHECK_TREE: CheckNode = { field: "", children: new Map() };
for (const [, kind, segments] of CHECKED_SPLIT) {
  let node = CHECK_TREE;
  segments.forEach((segment, index) => {
    let child = node.children.get(segment);
    if (!child) {
      child = { field: segments.slice(0, index + 1).join("."), children: new Map() };
      node.children.set(segment, child);
    }
    node = child;
  });
  node.kind = kind;
}

type Problem = { field: string; message: string };

/**
 * Checks a nested event against CHECK_TREE. Returns "dotted" when an object on
 * the way has a dotted key, since then a field may live elsewhere and the
 * slower path-by-path lookup must decide.
 */
function checkNested(source: Json, node: CheckNode): Problem | "dotted" | null {
  for (const key in source) if (key.includes(".")) return "dotted";
  for (const [key, child] of node.children) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    if (child.kind) {
      const message = checkValue(value, child.kind);
      if (message) return { field: child.field, message };
    }
    if (child.children.size === 0 || value === null || typeof value !== "object") continue;
    // Objects may come as arrays of objects (process.previous does); each element is checked.
    const found = Array.isArray(value) ? checkEachNested(value, child) : checkNested(value as Json, child);
    if (found) return found;
  }
  return null;
}

function checkEachNested(values: unknown[], node: CheckNode): Problem | "dotted" | null {
  for (const inner of values) {
    const innerObject = object(inner);
    if (!innerObject) continue;
    const found = checkNested(innerObject, node);
    if (found) return found;
  }
  return null;
}

function checkByLookup(source: Json): Problem | null {
  for (const [field, kind, segments] of CHECKED_SPLIT) {
    const message = checkValue(lookup(source, segments), kind);
    if (message) return { field, message };
  }
  return null;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  return `a ${typeof value}`;
}

/**
 * Elasticsearch semantics: any field may hold one value or an array of them,
 * and null means absent. Integers and booleans may come as strings, which
 * Elasticsearch coerces too.
 */
function checkValue(value: unknown, kind: Kind): string | null {
  if (value === null || value === undefined) return null;
  // One value or an array of them; checked without wrapping a single value in an array (this runs
  // for some 60 fields of every event).
  if (!Array.isArray(value)) return isKind(value, kind) ? null : kindProblem(value, value, kind);
  for (const item of value) {
    if (item !== null && !isKind(item, kind)) return kindProblem(value, item, kind);
  }
  return null;
}

function isKind(item: unknown, kind: Kind): boolean {
  switch (kind) {
    case "object":
      return object(item) !== undefined;
    case "string":
      return typeof item === "string";
    case "id":
      return typeof item === "string" || typeof item === "number";
    case "integer":
      return (typeof item === "number" && Number.isInteger(item)) || (typeof item === "string" && /^-?\d+$/.test(item));
    case "boolean":
      return typeof item === "boolean" || item === "true" || item === "false";
  }
}

/** What is wrong with `value` (a field's whole value), whose element `item` is not of `kind`. */
function kindProblem(value: unknown, item: unknown, kind: Kind): string {
  switch (kind) {
    case "object":
      return `expected an object, found ${typeName(value)}`;
    case "string":
      return `expected a string or an array of strings, found ${typeName(value)}`;
    case "id":
      return `expected a string or a number, found ${typeName(value)}`;
    case "integer":
      return `expected an integer, found ${typeName(value)}${typeof item === "number" ? ` (${item})` : ""}`;
    case "boolean":
      return `expected true or false, found ${typeName(value)}`;
  }
}

/** A search hit or an elasticdump line ({"_index", "_id", "_source": {…}}) carries the event in _source. */
function unwrap(raw: Json): Json {
  const source = object(raw._source);
  return source && !Object.hasOwn(raw, "@timestamp") ? source : raw;
}

export const ecsAdapter: FormatAdapter = {
  format: "ecs",
  label: "Elastic ECS (Defend for Containers)",

  detect(wrapped) {
    const sample = unwrap(wrapped);
    let score = 0;
    if (Object.hasOwn(sample, "@timestamp")) score += 0.5;
    const event = object(sample.event);
    if (event && (event.category !== undefined || event.action !== undefined || event.kind !== undefined)) score += 0.3;
    else if (Object.hasOwn(sample, "event.category") || Object.hasOwn(sample, "event.action")) score += 0.3;
    if (object(sample.ecs) || Object.hasOwn(sample, "ecs.version") || object(sample.data_stream)) score += 0.2;
    else if (object(sample.process) || Object.hasOwn(sample, "process.name")) score += 0.1;
    const dataset = lookup(sample, "event.dataset") ?? lookup(sample, "data_stream.dataset");
    if (typeof dataset === "string" && dataset.startsWith("cloud_defend")) score = 1;
    return Math.min(1, score);
  },

  toEcs(wrapped): AdaptResult {
    const raw = unwrap(wrapped);
    const timestamp = lookup(raw, "@timestamp");
    if (timestamp === undefined || timestamp === null || timestamp === "") {
      return { ok: false, field: "@timestamp", message: "missing; every ECS event needs a @timestamp" };
    }
    const iso = isoTimestamp(timestamp);
    if (!iso) {
      return {
        ok: false,
        field: "@timestamp",
        message: `not a date: ${JSON.stringify(timestamp).slice(0, 60)} (expected ISO 8601 or epoch milliseconds)`,
      };
    }
    const nested = checkNested(raw, CHECK_TREE);
    const problem = nested === "dotted" ? checkByLookup(raw) : nested;
    if (problem) return { ok: false, field: problem.field, message: problem.message };
    return { ok: true, event: timestamp === iso ? raw : { ...raw, "@timestamp": iso } };
  },
};
