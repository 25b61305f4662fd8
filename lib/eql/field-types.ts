/**
 * Field types, as an Elasticsearch index mapping gives them. In
 * Elasticsearch a field's mapping decides how a query compares it: a `date`
 * field compares as a point in time whatever the string looks like, an `ip`
 * field takes a CIDR block as a term, a `version` field orders 1.10.0 after
 * 1.9.0, a numeric field indexes "42" as 42, a keyword field indexes 42 as
 * "42", and `null_value` stands in for an explicit JSON null.
 *
 * Keelwatch reads plain JSON, so it has no mapping unless one is given: the
 * compiler then infers each value's type from JSON, as before. `FieldTypes`
 * names the fields whose type is known: the ECS fields built in here, and the
 * fields of a user's `_mapping` document. A field no mapping names keeps the
 * inferred behaviour.
 */
import { parseIp } from "./ip";
import { compileFieldGetter, type FieldGetter, type FieldScalar, parseIsoTimestamp } from "./values";

/** How a mapping type compares; types Elasticsearch compares alike share a kind. */
export type FieldKind = "keyword" | "text" | "date" | "ip" | "long" | "double" | "boolean" | "version";

export interface FieldType {
  kind: FieldKind;
  /** The mapping type as written (`wildcard`, `date_nanos`, `scaled_float` …), for messages. */
  type: string;
  /** The mapping's `null_value`: indexed in place of an explicit JSON null. */
  nullValue?: string | number | boolean;
  /** A date field's `format`, when it names epoch seconds instead of the default. */
  epochSeconds?: boolean;
}

export interface FieldTypes {
  /** Types by dotted field name (`process.pid`). */
  readonly fields: ReadonlyMap<string, FieldType>;
  /**
   * The mapping covers every field of the data, as a user's `_mapping` does:
   * an optional field it does not name (`?x`) is then null, as in Elasticsearch.
   */
  readonly complete: boolean;
}

const KINDS: Record<string, FieldKind> = {
  keyword: "keyword",
  constant_keyword: "keyword",
  wildcard: "keyword",
  text: "text",
  match_only_text: "text",
  date: "date",
  date_nanos: "date",
  ip: "ip",
  long: "long",
  integer: "long",
  short: "long",
  byte: "long",
  unsigned_long: "long",
  double: "double",
  float: "double",
  half_float: "double",
  scaled_float: "double",
  boolean: "boolean",
  version: "version",
};

/** The kind a mapping type compares as, or null for types compared as today (objects, geo, binary …). */
export function fieldKindOf(type: string): FieldKind | null {
  return KINDS[type] ?? null;
}

// ---------------------------------------------------------------- ECS built-ins

/**
 * The ECS fields whose type changes a comparison (dates, addresses, numbers,
 * booleans, and keywords that producers sometimes write as numbers), from the
 * ECS field reference. Fields not listed compare as their JSON values do.
 */
const ECS_TYPES: Record<string, string> = {
  "@timestamp": "date",
  "event.created": "date",
  "event.ingested": "date",
  "event.start": "date",
  "event.end": "date",
  "process.start": "date",
  "process.end": "date",
  "process.parent.start": "date",
  "process.entry_leader.start": "date",
  "process.session_leader.start": "date",
  "file.created": "date",
  "file.mtime": "date",
  "file.ctime": "date",
  "file.accessed": "date",
  "source.ip": "ip",
  "destination.ip": "ip",
  "client.ip": "ip",
  "server.ip": "ip",
  "host.ip": "ip",
  "related.ip": "ip",
  "source.nat.ip": "ip",
  "destination.nat.ip": "ip",
  "source.port": "long",
  "destination.port": "long",
  "client.port": "long",
  "server.port": "long",
  "source.bytes": "long",
  "destination.bytes": "long",
  "network.bytes": "long",
  "network.packets": "long",
  "process.pid": "long",
  "process.parent.pid": "long",
  "process.entry_leader.pid": "long",
  "process.session_leader.pid": "long",
  "process.group_leader.pid": "long",
  "process.exit_code": "long",
  "process.args_count": "long",
  "process.thread.id": "long",
  "event.duration": "long",
  "event.severity": "long",
  "event.sequence": "long",
  "event.risk_score": "double",
  "file.size": "long",
  "http.response.status_code": "long",
  "process.interactive": "boolean",
  "process.entry_leader.same_as_process": "boolean",
  "process.session_leader.same_as_process": "boolean",
  "process.group_leader.same_as_process": "boolean",
  "process.user.id": "keyword",
  "process.group.id": "keyword",
  "user.id": "keyword",
  "group.id": "keyword",
  "process.real_user.id": "keyword",
  "process.real_group.id": "keyword",
  "container.id": "keyword",
  "event.code": "keyword",
  "process.command_line": "wildcard",
  "process.executable": "keyword",
  "process.name": "keyword",
  "file.path": "keyword",
};

function typeFromName(type: string): FieldType | null {
  const kind = fieldKindOf(type);
  return kind === null ? null : { kind, type };
}

/** The built-in ECS types, on their own (an incomplete mapping: unnamed fields behave as today). */
export const ECS_FIELD_TYPES: FieldTypes = {
  fields: new Map(
    Object.entries(ECS_TYPES).flatMap(([name, type]) => {
      const fieldType = typeFromName(type);
      return fieldType ? [[name, fieldType] as const] : [];
    }),
  ),
  complete: false,
};

// ---------------------------------------------------------------- _mapping documents

/** A mapping document that cannot be read: says what and where (the property path). */
export class MappingError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(where === "" ? message : `${where}: ${message}`);
    this.name = "MappingError";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `properties` tables of a `GET index/_mapping` answer (one per index), a `mappings` body, or bare properties. */
function propertyTables(document: unknown): { where: string; properties: Record<string, unknown> }[] {
  if (!isRecord(document)) throw new MappingError("a mapping must be a JSON object", "");
  if (isRecord(document.properties)) return [{ where: "properties", properties: document.properties }];
  if (isRecord(document.mappings))
    return propertyTables(document.mappings).map((table) => ({ ...table, where: `mappings.${table.where}` }));
  const tables: { where: string; properties: Record<string, unknown> }[] = [];
  for (const [index, body] of Object.entries(document)) {
    if (isRecord(body) && isRecord(body.mappings) && isRecord(body.mappings.properties)) {
      tables.push({ where: `${index}.mappings.properties`, properties: body.mappings.properties });
    }
  }
  if (tables.length === 0) {
    throw new MappingError(
      'no "properties" found: give the answer of GET <index>/_mapping, a {"mappings": {...}} body or {"properties": {...}}',
      "",
    );
  }
  return tables;
}

function nullValueOf(raw: unknown, where: string): string | number | boolean | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  throw new MappingError("null_value must be a string, number or boolean", where);
}

/**
 * Field types from an Elasticsearch mapping (`GET index/_mapping`, several
 * indices merged), as a complete mapping. Object fields nest with dots,
 * multi-fields (`fields`) become `name.sub`, and aliases take their target's
 * type. Types compared as today (objects, geo_point …) are left out.
 */
export function fieldTypesFromMapping(document: unknown): FieldTypes {
  const fields = new Map<string, FieldType>();
  const aliases: { name: string; path: string; where: string }[] = [];
  const visit = (properties: Record<string, unknown>, prefix: string, where: string): void => {
    for (const [name, definition] of Object.entries(properties)) {
      const full = prefix === "" ? name : `${prefix}.${name}`;
      const here = `${where}.${name}`;
      if (!isRecord(definition)) throw new MappingError("a field's mapping must be an object", here);
      const type = definition.type;
      if (type !== undefined && typeof type !== "string") throw new MappingError('"type" must be a string', here);
      if (type === "alias") {
        if (typeof definition.path !== "string") throw new MappingError('an alias needs a "path"', here);
        aliases.push({ name: full, path: definition.path, where: here });
      } else if (type !== undefined) {
        const kind = fieldKindOf(type);
        if (kind !== null) {
          const format = typeof definition.format === "string" ? definition.format : "";
          const fieldType: FieldType = { kind, type };
          const nullValue = nullValueOf(definition.null_value, `${here}.null_value`);
          if (nullValue !== undefined) fieldType.nullValue = nullValue;
          if (kind === "date" && /^epoch_second$/.test(format)) fieldType.epochSeconds = true;
          fields.set(full, fieldType);
        }
      }
      if (isRecord(definition.properties)) visit(definition.properties, full, `${here}.properties`);
      if (isRecord(definition.fields)) visit(definition.fields, full, `${here}.fields`);
    }
  };
  for (const table of propertyTables(document)) visit(table.properties, "", table.where);
  for (const alias of aliases) {
    const target = fields.get(alias.path);
    if (target) fields.set(alias.name, target);
  }
  return { fields, complete: true };
}

/** Built-in ECS types with a user mapping over them (the mapping wins where both name a field). */
export function withMapping(base: FieldTypes, mapping: FieldTypes): FieldTypes {
  return { fields: new Map([...base.fields, ...mapping.fields]), complete: base.complete || mapping.complete };
}

// ---------------------------------------------------------------- values as a type reads them

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * A date as epoch milliseconds: an ISO-8601 string, or epoch milliseconds as
 * a number or numeric string (epoch seconds for an `epoch_second` field), as
 * a date field's default format `strict_date_optional_time||epoch_millis` reads it.
 */
export function readDate(value: unknown, epochSeconds = false): number | undefined {
  const scale = epochSeconds ? 1000 : 1;
  if (typeof value === "number") return Number.isFinite(value) ? value * scale : undefined;
  if (typeof value !== "string") return undefined;
  if (NUMERIC_TEXT.test(value)) return Number(value) * scale;
  return parseIsoTimestamp(value.trim());
}

/**
 * One JSON value as the field's type indexes it; undefined when the type
 * cannot index it (Elasticsearch would refuse the document, or ignore the
 * malformed value).
 */
export function indexedValue(type: FieldType, value: string | number | boolean): string | number | boolean | undefined {
  switch (type.kind) {
    case "keyword":
    case "text":
    case "version":
      return typeof value === "string" ? value : String(value);
    case "long":
    case "double":
      if (typeof value === "number") return value;
      if (typeof value === "string" && NUMERIC_TEXT.test(value)) return Number(value);
      return undefined;
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true") return true;
      if (value === "false" || value === "") return false;
      return undefined;
    case "date":
      return readDate(value, type.epochSeconds);
    case "ip":
      return typeof value === "string" && parseIp(value) !== null ? value : undefined;
  }
}

// ---------------------------------------------------------------- version order

interface ParsedVersion {
  valid: boolean;
  core: number[];
  prerelease: string[];
}

const SEMVER = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

function parseVersion(text: string): ParsedVersion {
  const match = SEMVER.exec(text);
  if (match === null) return { valid: false, core: [], prerelease: [] };
  const core = [match[1], match[2], match[3]].map((part) => Number(part ?? 0));
  return { valid: true, core, prerelease: match[4] ? match[4].split(".") : [] };
}

function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return b.length - a.length; // a release sorts after its pre-releases
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const left = a[i] as string;
    const right = b[i] as string;
    const leftNumeric = /^\d+$/.test(left);
    const rightNumeric = /^\d+$/.test(right);
    if (leftNumeric && rightNumeric) {
      const order = Number(left) - Number(right);
      if (order !== 0) return order;
    } else if (leftNumeric !== rightNumeric) {
      return leftNumeric ? -1 : 1;
    } else if (left !== right) {
      return left < right ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/**
 * The order of Elasticsearch's `version` field: semantic-version precedence
 * (numbers compare as numbers, a pre-release before its release, build
 * metadata ignored); strings that are not versions sort after every version,
 * among themselves as text.
 */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left.valid || !right.valid) {
    if (left.valid !== right.valid) return left.valid ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  for (let i = 0; i < 3; i++) {
    const order = (left.core[i] as number) - (right.core[i] as number);
    if (order !== 0) return order;
  }
  return comparePrerelease(left.prerelease, right.prerelease);
}

// ---------------------------------------------------------------- typed field getters

/** Whether the event holds an explicit JSON null at `path` (nested objects or dotted keys). */
export function hasExplicitNull(node: unknown, path: readonly string[], from = 0): boolean {
  if (!isRecord(node)) return false;
  let key = "";
  for (let to = from; to < path.length; to++) {
    key = to === from ? (path[to] as string) : `${key}.${path[to]}`;
    if (!Object.hasOwn(node, key)) continue;
    const child = node[key];
    if (to === path.length - 1 ? child === null : hasExplicitNull(child, path, to + 1)) return true;
  }
  return false;
}

/**
 * A getter that reads a field as its type indexes it: values the type cannot
 * index are dropped, and an explicit null reads as the mapping's null_value.
 * `keepDates` leaves date values as written (scripts see the date, not its millis).
 */
export function compileTypedFieldGetter(
  path: readonly string[],
  type: FieldType | undefined,
  keepDates = false,
): FieldGetter {
  const raw = compileFieldGetter(path);
  if (type === undefined) return raw;
  const nullValue = type.nullValue === undefined ? undefined : indexedValue(type, type.nullValue);
  const convert =
    keepDates && type.kind === "date"
      ? (value: FieldScalar) => value
      : (value: FieldScalar) => indexedValue(type, value);
  return (event) => {
    const value = raw(event);
    if (value === undefined) {
      return nullValue !== undefined && hasExplicitNull(event, path) ? nullValue : undefined;
    }
    if (!Array.isArray(value)) return convert(value as FieldScalar);
    const values: FieldScalar[] = [];
    for (const element of value as readonly FieldScalar[]) {
      const indexed = convert(element);
      if (indexed !== undefined) values.push(indexed);
    }
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  };
}
