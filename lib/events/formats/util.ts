/** Small helpers the format adapters share: reading untyped JSON, writing nested ECS, times, args, images. */

export type Json = Record<string, unknown>;

export function object(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** An integer given as a number or as a string of digits (sources differ), or undefined. */
export function integer(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** A string id from a string or a number (uids come both ways). */
export function id(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return text(value);
}

export function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const result = value.filter((item): item is string => typeof item === "string");
  return result.length === value.length ? result : undefined;
}

/**
 * Reads a field the way Elasticsearch reads `_source`: `a.b.c` may be nested
 * objects, dotted keys, or a mix (`{"a": {"b.c": 1}}`). The first match wins.
 */
export function lookup(source: Json, path: string | readonly string[]): unknown {
  return walk(source, typeof path === "string" ? path.split(".") : path, 0);
}

function walk(source: Json, segments: readonly string[], from: number): unknown {
  // Nested objects first (the common case), then ever longer dotted keys.
  let key = segments[from]!;
  for (let to = from + 1; ; to++) {
    if (Object.hasOwn(source, key)) {
      const value = source[key];
      if (to === segments.length) return value;
      const inner = object(value);
      if (inner) {
        const found = walk(inner, segments, to);
        if (found !== undefined) return found;
      }
    }
    if (to === segments.length) return undefined;
    key = `${key}.${segments[to]}`;
  }
}

/** Sets a nested field, creating objects on the way; undefined, null and "" are left out. */
export function put(target: Json, path: string, value: unknown): void {
  if (value === undefined || value === null || value === "") return;
  if (Array.isArray(value) && value.length === 0) return;
  const segments = path.split(".");
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    let next = object(node[segment]);
    if (!next) {
      next = {};
      node[segment] = next;
    }
    node = next;
  }
  node[segments[segments.length - 1]!] = value;
}

export function basename(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const trimmed = path.replace(/\/+$/, "");
  const name = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return name || undefined;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const ISO_ANY = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A timestamp as an ISO 8601 UTC string. Accepts ISO 8601 strings (a missing
 * zone means UTC, as in Elasticsearch) and epoch numbers in seconds, ms, µs or
 * ns (told apart by size). An ISO string already in UTC is kept as written, so
 * nanosecond fractions survive.
 */
export function isoTimestamp(value: unknown): string | undefined {
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (ISO_UTC.test(trimmed)) {
      return Number.isNaN(Date.parse(trimmed)) || !isCalendarDay(trimmed) ? undefined : trimmed;
    }
    if (!ISO_ANY.test(trimmed)) {
      if (/^\d{9,19}(?:\.\d+)?$/.test(trimmed)) return isoTimestamp(Number(trimmed));
      return undefined;
    }
    if (!isCalendarDay(trimmed)) return undefined;
    if (!/[T ]/i.test(trimmed)) {
      const ms = Date.parse(trimmed.slice(0, 10));
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    }
    let normalized = trimmed
      .replace(/^(.{10})[T ]/i, "$1T")
      .replace(",", ".")
      .toUpperCase();
    // Date.parse wants "+hh:mm"; ISO 8601 also allows "+hhmm" and "+hh". No zone means UTC.
    if (/[+-]\d{4}$/.test(normalized)) normalized = `${normalized.slice(0, -2)}:${normalized.slice(-2)}`;
    else if (/T.*[+-]\d{2}$/.test(normalized)) normalized = `${normalized}:00`;
    else if (!/(?:Z|[+-]\d{2}:\d{2})$/.test(normalized)) normalized = `${normalized}Z`;
    const ms = Date.parse(normalized);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    const ms = value < 1e11 ? value * 1000 : value < 1e14 ? value : value < 1e17 ? value / 1000 : value / 1e6;
    const date = new Date(Math.floor(ms));
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  return undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the "YYYY-MM-DD" a string starts with is a real day. Date.parse
 * rolls impossible days over (2026-02-30 becomes 2026-03-02) where
 * Elasticsearch refuses them; a wrong day must not become a plausible one.
 */
function isCalendarDay(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * Splits a command line into arguments: blanks separate, single or double
 * quotes group, and a backslash escapes the next character (outside single
 * quotes). Sources that join argv with spaces lose the original boundaries;
 * this is the closest reading.
 */
export function splitArgs(commandLine: string): string[] {
  const args: string[] = [];
  let current = "";
  let inArg = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < commandLine.length; index++) {
    const char = commandLine[index]!;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"' && index + 1 < commandLine.length) current += commandLine[++index];
      else current += char;
    } else if (char === " " || char === "\t" || char === "\n") {
      if (inArg) args.push(current);
      current = "";
      inArg = false;
    } else {
      inArg = true;
      if (char === '"' || char === "'") quote = char;
      else if (char === "\\" && index + 1 < commandLine.length) current += commandLine[++index];
      else current += char;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** "registry:5000/team/app:1.2@sha256:ab" → name "registry:5000/team/app", tag "1.2", digest "sha256:ab". */
export function splitImage(reference: string): { name: string; tag?: string; digest?: string } {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1) || undefined;
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(":");
  // A colon before the last slash belongs to a registry port, not a tag.
  if (colon > rest.lastIndexOf("/")) {
    return { name: rest.slice(0, colon), tag: rest.slice(colon + 1) || undefined, digest };
  }
  return { name: rest, digest };
}

/** Container ids come as "containerd://<id>", "docker://<id>", "cri-o://<id>" or bare. */
export function bareContainerId(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^[a-z-]+:\/\//, "");
  return bare || undefined;
}

/** Fraction (0..1) of `keys` present as own keys of `source`. */
export function share(source: Json, keys: readonly string[]): number {
  if (keys.length === 0) return 0;
  let found = 0;
  for (const key of keys) if (Object.hasOwn(source, key)) found++;
  return found / keys.length;
}
