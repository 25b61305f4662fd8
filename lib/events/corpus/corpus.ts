/**
 * The bad-input corpus: hostile or broken event files and what Keelwatch must
 * do with each. Small inputs are files in ./cases (byte-exact, see
 * .gitattributes); large and binary ones are written by ./generate.ts at test
 * time. corpus-api.test.ts sends every case through POST /api/events and
 * corpus-cli.test.ts through `keelwatch ingest` and `keelwatch detect`.
 *
 * The expectation is stated as the HTTP answer: a report (200 all good, 207
 * some lines rejected, 400 nothing usable) with counts and the line of every
 * error, or a whole-body refusal with its error code. The CLI expectations
 * follow from it (see corpus-cli.test.ts), with `detect` overrides where the
 * offline command has no upload limit.
 */
import type { EventFormat } from "../formats/types";
import type { GeneratedInput } from "./generate";

export interface LineError {
  line: number;
  /** A substring of the error message. */
  message: string;
}

export type Expected =
  | {
      status: 200 | 207 | 400;
      accepted: number;
      rejected: number;
      /** Every error of the report, in order (omit when only `firstErrors` or counts matter). */
      errors?: LineError[];
      /** The report's first errors, for cases with too many to list. */
      firstErrors?: LineError[];
      /** Accepted lines that normalise to an event already stored (default 0). */
      duplicate?: number;
    }
  | { status: 400 | 413; code: "empty_upload" | "unreadable_upload" | "upload_too_large"; message: string };

/** A field of a stored (normalised) event: `value: undefined` means the field must be absent. */
export interface StoredField {
  line: number;
  field: string;
  value: unknown;
}

export interface CorpusCase {
  name: string;
  /** Which hostile input this is, and why the expected outcome is right. */
  covers: string;
  input: { file: string } | { generate: GeneratedInput };
  format?: EventFormat | "auto";
  /** KEELWATCH_MAX_UPLOAD_BYTES for this case (the default is 2 GiB). */
  maxUploadBytes?: number;
  expected: Expected;
  stored?: StoredField[];
  /** Large input: the tests also bound the memory it takes. */
  big?: boolean;
  /** What `keelwatch detect` does, where it differs from what the HTTP answer implies. */
  detect?: { exit: number; stderr: string[] };
}

const HTML = `<img src=x onerror=alert(1)><script>alert(2)</script>"'&<!--`;

const invalidJson = (line: number): LineError => ({ line, message: "invalid JSON" });
const timestamp = (line: number): LineError => ({ line, message: "@timestamp" });

export const CORPUS: readonly CorpusCase[] = [
  // ── The body as a whole ──────────────────────────────────────────────────────
  {
    name: "empty file",
    covers: "zero bytes: nothing to ingest is a client error, not an empty success",
    input: { file: "empty.ndjson" },
    expected: { status: 400, code: "empty_upload", message: "NDJSON or a JSON array" },
  },
  {
    name: "whitespace only",
    covers: "blanks, tabs and CRLF only: same as empty",
    input: { file: "whitespace-only.ndjson" },
    expected: { status: 400, code: "empty_upload", message: "NDJSON or a JSON array" },
  },
  {
    name: "JSON that is a string",
    covers: "valid JSON, but not an event",
    input: { file: "json-string.json.txt" },
    expected: {
      status: 400,
      accepted: 0,
      rejected: 1,
      errors: [{ line: 1, message: "expected a JSON object, found a string" }],
    },
  },
  {
    name: "JSON that is a number",
    covers: "valid JSON, but not an event",
    input: { file: "json-number.json.txt" },
    expected: { status: 400, accepted: 0, rejected: 1, errors: [{ line: 1, message: "found a number" }] },
  },
  {
    name: "JSON that is null",
    covers: "valid JSON, but not an event",
    input: { file: "json-null.json.txt" },
    expected: { status: 400, accepted: 0, rejected: 1, errors: [{ line: 1, message: "found null" }] },
  },
  {
    name: "JSON that is a boolean",
    covers: "valid JSON, but not an event",
    input: { file: "json-boolean.json.txt" },
    expected: { status: 400, accepted: 0, rejected: 1, errors: [{ line: 1, message: "found a boolean" }] },
  },
  {
    name: "array of non-objects",
    covers: "a JSON array whose elements are a number, string, null, array and boolean: one error each",
    input: { file: "array-of-non-objects.json.txt" },
    expected: {
      status: 400,
      accepted: 0,
      rejected: 5,
      errors: [
        { line: 1, message: "found a number" },
        { line: 1, message: "found a string" },
        { line: 1, message: "found null" },
        { line: 1, message: "found an array" },
        { line: 1, message: "found a boolean" },
      ],
    },
  },
  {
    name: "array with one non-object",
    covers: "a pretty-printed array: the bad element is named by its own line, the others are stored",
    input: { file: "array-mixed.json.txt" },
    expected: { status: 207, accepted: 2, rejected: 1, errors: [{ line: 3, message: "found a number" }] },
  },
  {
    name: "empty array",
    covers: "[] holds no events",
    input: { file: "array-empty.json.txt" },
    expected: { status: 400, code: "empty_upload", message: "NDJSON or a JSON array" },
  },
  {
    name: "unclosed array",
    covers: "the body ends inside the array: complete elements are kept, the missing ] is reported",
    input: { file: "array-unclosed.json.txt" },
    expected: {
      status: 207,
      accepted: 2,
      rejected: 1,
      errors: [{ line: 4, message: "ends before the closing ]" }],
    },
  },
  {
    name: "data after the array",
    covers: "garbage after ]: reported with its line, the array's events kept",
    input: { file: "array-trailing-data.json.txt" },
    expected: {
      status: 207,
      accepted: 1,
      rejected: 1,
      errors: [{ line: 4, message: "unexpected data after the closing ]" }],
    },
  },
  {
    name: "array with a missing element",
    covers: "[a,,b]",
    input: { file: "array-missing-element.json.txt" },
    expected: {
      status: 207,
      accepted: 2,
      rejected: 1,
      errors: [{ line: 3, message: "missing array element" }],
    },
  },
  {
    name: "NDJSON line holding an array",
    covers: "an array on one NDJSON line is not an event",
    input: { file: "ndjson-line-is-array.ndjson" },
    expected: { status: 207, accepted: 1, rejected: 1, errors: [{ line: 2, message: "found an array" }] },
  },

  // ── Encodings and line endings ───────────────────────────────────────────────
  {
    name: "UTF-8 byte order mark",
    covers: "a BOM at the start is dropped, as editors on Windows write one",
    input: { file: "bom.ndjson" },
    expected: { status: 200, accepted: 2, rejected: 0, errors: [] },
  },
  {
    name: "BOM in the middle of the file",
    covers: "a BOM is only allowed first; elsewhere the line does not parse",
    input: { file: "bom-mid-file.ndjson" },
    expected: { status: 207, accepted: 2, rejected: 1, errors: [invalidJson(2)] },
  },
  {
    name: "CRLF line endings",
    covers: "Windows line endings",
    input: { file: "crlf.ndjson" },
    expected: { status: 200, accepted: 3, rejected: 0, errors: [] },
  },
  {
    name: "CRLF with a bad line",
    covers: "line numbers stay right with CRLF",
    input: { file: "crlf-bad-line.ndjson" },
    expected: { status: 207, accepted: 2, rejected: 1, errors: [invalidJson(2)] },
  },
  {
    name: "CR-only line endings",
    covers: "classic Mac endings are not NDJSON: the file is one line with two values, refused with a clear reason",
    input: { file: "cr-only.ndjson" },
    expected: {
      status: 400,
      accepted: 0,
      rejected: 1,
      errors: [{ line: 1, message: "non-whitespace character after JSON" }],
    },
  },
  {
    name: "invalid UTF-8 inside a string",
    covers:
      "stray bytes inside a value (not at the start of the body) are decoded as U+FFFD, as browsers and Node do; the event is kept",
    input: { file: "invalid-utf8-in-string.ndjson" },
    expected: { status: 200, accepted: 3, rejected: 0, errors: [] },
    stored: [{ line: 2, field: "message", value: "bad \ufffd\ufffd bytes \ufffd(" }],
  },
  {
    name: "binary body (invalid UTF-8 first)",
    covers: "a body that starts with bytes that are not text is not an events file",
    input: { file: "invalid-utf8-binary.ndjson" },
    expected: { status: 400, code: "unreadable_upload", message: "binary data" },
  },
  {
    name: "NUL bytes first",
    covers: "raw NUL bytes at the start: binary",
    input: { file: "nul-raw-first-line.ndjson" },
    expected: { status: 400, code: "unreadable_upload", message: "binary data" },
  },
  {
    name: "raw NUL byte inside a string",
    covers: "JSON forbids raw control characters in strings; the line is named",
    input: { file: "nul-raw-in-string.ndjson" },
    expected: { status: 207, accepted: 2, rejected: 1, errors: [{ line: 2, message: "Bad control character" }] },
  },
  {
    name: "escaped NUL characters",
    covers: "\\u0000 is valid JSON and is stored as is",
    input: { file: "nul-escaped.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [
      { line: 1, field: "message", value: "a\u0000b" },
      { line: 1, field: "user.name", value: "\u0000root\u0000" },
    ],
  },
  {
    name: "escaped control characters",
    covers: "every C0 control, DEL, NEL and the JSON-hostile U+2028/U+2029, escaped: stored unchanged",
    input: { file: "control-chars-escaped.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [
      {
        line: 1,
        field: "message",
        value: `${Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join("")}\u007f\u0085\u2028\u2029`,
      },
    ],
  },
  {
    name: "raw control character inside a string",
    covers: "a raw tab inside a string is invalid JSON",
    input: { file: "control-chars-raw.ndjson" },
    expected: { status: 207, accepted: 1, rejected: 1, errors: [{ line: 2, message: "Bad control character" }] },
  },
  {
    name: "ANSI escape sequences",
    covers: "terminal escapes (colour, title, clear screen) are data, stored unchanged (the UI renders them as text)",
    input: { file: "ansi-escapes.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [
      { line: 1, field: "message", value: "\u001b[31mred\u001b[0m \u001b]0;pwned\u0007 \u001b[2J\u001b[H" },
      { line: 1, field: "host.name", value: "\u001b[1mhost\u001b[0m" },
    ],
  },
  {
    name: "HTML and script in every text field",
    covers: "markup is data: stored byte for byte, never sanitised away or interpreted (rendering: e2e/hostile-input)",
    input: { file: "html-everywhere.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [
      { line: 1, field: "message", value: HTML },
      { line: 1, field: "process.name", value: HTML },
      { line: 1, field: "process.command_line", value: HTML },
      { line: 1, field: "container.image.name", value: HTML },
      { line: 1, field: "orchestrator.namespace", value: HTML },
      { line: 1, field: "user.id", value: HTML },
    ],
  },
  {
    name: "Unicode tricks",
    covers: "right-to-left override, zero-width joiners, emoji, Cyrillic look-alikes",
    input: { file: "unicode-tricks.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "user.name", value: "r\u0430\u043e\u0442" }],
  },
  {
    name: "lone surrogate escapes",
    covers: "\\ud800 is valid JSON but not valid Unicode; the stored JSON keeps it escaped",
    input: { file: "lone-surrogate-escape.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "process.name", value: "\ud800ls\udfff" }],
  },

  // ── Prototype pollution ──────────────────────────────────────────────────────
  {
    name: "__proto__ at the top level",
    covers: "JSON.parse makes __proto__ an own key; it must stay data and never reach Object.prototype",
    input: { file: "proto-top-level.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "__proto__.polluted", value: "top" }],
  },
  {
    name: "__proto__ nested",
    covers: "__proto__ inside process and labels, and as a dotted key",
    input: { file: "proto-nested.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "process.name", value: "ls" }],
  },
  {
    name: "constructor.prototype",
    covers: "constructor/prototype keys at the top level and nested",
    input: { file: "proto-constructor.ndjson" },
    expected: { status: 200, accepted: 2, rejected: 0, errors: [] },
  },
  {
    name: "pollution paths as dotted keys",
    covers: '"__proto__.polluted" and "constructor.prototype.polluted" as flat dotted keys',
    input: { file: "proto-dotted-keys.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
  },
  {
    name: "pollution words as values",
    covers: "__proto__, constructor and prototype as field values",
    input: { file: "proto-as-field-values.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "user.name", value: "constructor" }],
  },
  {
    name: "__proto__ in Falco output_fields",
    covers: "the Falco adapter copies fields out of output_fields; pollution keys there are ignored",
    input: { file: "proto-falco.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "process.name", value: "nc" }],
  },
  {
    name: "__proto__ in a Tetragon event",
    covers: "pollution keys inside process_exec.process and at the top",
    input: { file: "proto-tetragon.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "process.executable", value: "/bin/ls" }],
  },
  {
    name: "__proto__ in a Datadog event",
    covers: "pollution keys inside evt, process and process.executable",
    input: { file: "proto-datadog.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "event.action", value: "exec" }],
  },

  // ── Keys ─────────────────────────────────────────────────────────────────────
  {
    name: "duplicate keys",
    covers: "the last value wins, as in JSON.parse and Elasticsearch",
    input: { file: "duplicate-keys.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "message", value: "last" }],
  },
  {
    name: "empty and odd keys",
    covers: 'keys "", ".", "a..b", " " and "process." next to a nested process',
    input: { file: "empty-and-odd-keys.ndjson" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
    stored: [{ line: 1, field: "process.name", value: "ls" }],
  },
  {
    name: "very long field name",
    covers: "a 100,000-character key",
    input: { generate: "long-field-name" },
    expected: { status: 200, accepted: 1, rejected: 0, errors: [] },
  },

  // ── Not quite JSON ───────────────────────────────────────────────────────────
  {
    name: "JSON dialects",
    covers: "single quotes, trailing comma, NaN, Infinity, comments, bare keys, hex, leading zero, lone braces",
    input: { file: "not-json-dialects.ndjson" },
    expected: {
      status: 207,
      accepted: 2,
      rejected: 11,
      errors: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(invalidJson),
    },
  },
  {
    name: "numbers out of range",
    covers: "1e400 parses as Infinity: refused for an integer field; big numbers elsewhere are kept",
    input: { file: "number-overflow.ndjson" },
    expected: {
      status: 207,
      accepted: 1,
      rejected: 1,
      errors: [{ line: 1, message: "process.pid: expected an integer, found a number (Infinity)" }],
    },
  },

  // ── Timestamps ───────────────────────────────────────────────────────────────
  {
    name: "timestamps in odd formats",
    covers:
      "lines 1-11 are dates Elasticsearch reads (epoch ms and s as numbers or strings, no zone = UTC, space separator, date only, +hhmm offset, nanoseconds, year 0, year 9999); lines 12-25 are not (Feb 30, month 13, leap second, six-digit year, negative, zero, out of range, empty, null, boolean, object, array, words, RFC 2822)",
    input: { file: "timestamps-odd.ndjson" },
    expected: {
      status: 207,
      accepted: 11,
      rejected: 14,
      errors: [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25].map(timestamp),
    },
    stored: [
      { line: 1, field: "@timestamp", value: "2026-11-23T10:00:00.000Z" },
      { line: 2, field: "@timestamp", value: "2026-11-23T10:00:00.000Z" },
      { line: 5, field: "@timestamp", value: "2026-11-23T10:00:00.000Z" },
      { line: 8, field: "@timestamp", value: "2026-11-23T10:00:00.000Z" },
      { line: 9, field: "@timestamp", value: "2026-11-23T10:00:00.123456789Z" },
      { line: 10, field: "@timestamp", value: "0000-01-01T00:00:00Z" },
    ],
  },

  // ── Wrong types per format ───────────────────────────────────────────────────
  {
    name: "ECS: wrong types in key fields",
    covers:
      "numbers where strings belong and the reverse, objects where scalars belong, scalars where objects belong; each named by field. Line 15: integers as strings and ids as numbers are coerced, as Elasticsearch does",
    input: { file: "ecs-wrong-types.ndjson" },
    expected: {
      status: 207,
      accepted: 1,
      rejected: 14,
      errors: [
        { line: 1, message: "process.name: expected a string" },
        { line: 2, message: "container.id: expected a string" },
        { line: 3, message: "process.pid: expected an integer" },
        { line: 4, message: "process.args: expected a string" },
        { line: 5, message: "process.args_count: expected an integer" },
        { line: 6, message: "process.interactive: expected true or false" },
        { line: 7, message: "event: expected an object" },
        { line: 8, message: "event.category: expected a string" },
        { line: 9, message: "process: expected an object" },
        { line: 10, message: "host.name: expected a string" },
        { line: 11, message: "user.id: expected a string or a number" },
        { line: 12, message: "process.parent.pid: expected an integer" },
        { line: 13, message: "process.entry_leader.same_as_process: expected true or false" },
        { line: 14, message: "container.image: expected an object" },
      ],
    },
  },
  {
    name: "ECS: wrong types under dotted keys",
    covers:
      'a dotted "process.parent.pid" inside process is checked like the nested form; a dotted "process.name" beside a nested one loses to it (the first match wins, as the detector reads it)',
    input: { file: "ecs-dotted-wrong-types.ndjson" },
    expected: {
      status: 207,
      accepted: 1,
      rejected: 1,
      errors: [{ line: 2, message: "process.parent.pid: expected an integer" }],
    },
  },
  {
    name: "Falco: wrong types in key fields",
    covers:
      "output_fields not an object and an unreadable time are refused; a wrong type in an optional field drops that field (Falco's own fields are typed, the adapter only maps them); an epoch-seconds number is a time. Line 9 (tags not a list) normalises to line 1's event: a duplicate",
    input: { file: "falco-wrong-types.ndjson" },
    expected: {
      status: 207,
      accepted: 7,
      rejected: 2,
      duplicate: 1,
      errors: [
        { line: 2, message: "output_fields: missing or not an object" },
        { line: 4, message: "time: not an ISO 8601 date" },
      ],
    },
    stored: [
      { line: 1, field: "process.name", value: "bash" },
      { line: 5, field: "process.name", value: undefined },
      { line: 7, field: "rule.name", value: undefined },
    ],
  },
  {
    name: "Tetragon: wrong types in key fields",
    covers: "the event type not an object, process not an object, time null or not a date",
    input: { file: "tetragon-wrong-types.ndjson" },
    expected: {
      status: 207,
      accepted: 4,
      rejected: 4,
      errors: [
        { line: 2, message: "not a Tetragon process event" },
        { line: 3, message: "process_exec.process: missing or not an object" },
        { line: 4, message: "time" },
        { line: 5, message: "time: not an ISO 8601 date" },
      ],
    },
    stored: [
      { line: 1, field: "process.executable", value: "/usr/bin/nc" },
      { line: 6, field: "process.executable", value: undefined },
    ],
  },
  {
    name: "Datadog: wrong types in key fields",
    covers:
      "evt not an object, process an array, date not a date or a boolean are refused. Line 7 (comm a number) loses only comm, which the executable path restores: a duplicate of line 1",
    input: { file: "datadog-wrong-types.ndjson" },
    expected: {
      status: 207,
      accepted: 4,
      rejected: 4,
      duplicate: 1,
      errors: [
        { line: 2, message: "evt: missing or not an object" },
        { line: 3, message: "process: not an object" },
        { line: 4, message: "date: not a date" },
        { line: 5, message: "date: not a date" },
      ],
    },
    stored: [{ line: 1, field: "process.name", value: "nc" }],
  },
  {
    name: "ECS file declared as Falco",
    covers: "format=falco on ECS events: every line refused with the Falco field it lacks",
    input: { file: "ecs-file-read-as-falco.ndjson" },
    format: "falco",
    expected: {
      status: 400,
      accepted: 0,
      rejected: 2,
      errors: [
        { line: 1, message: "output_fields: missing" },
        { line: 2, message: "output_fields: missing" },
      ],
    },
  },
  {
    name: "mixed formats",
    covers: "19 ECS events then a Falco alert: auto reads each line in its own format, so all 20 are kept",
    input: { file: "mixed-formats.ndjson" },
    expected: { status: 200, accepted: 20, rejected: 0, errors: [] },
    stored: [
      { line: 19, field: "event.id", value: "mixed-formats-19" },
      { line: 20, field: "rule.name", value: "Terminal shell in container" },
    ],
  },
  {
    name: "elasticdump line with a hostile _source",
    covers: "_source a string, and _source with a wrong type",
    input: { file: "elasticdump-hostile-source.ndjson" },
    expected: {
      status: 400,
      accepted: 0,
      rejected: 2,
      errors: [
        { line: 1, message: "@timestamp: missing" },
        { line: 2, message: "process.name: expected a string" },
      ],
    },
  },
  {
    name: "blank lines between events",
    covers: "blank and whitespace-only lines are skipped without shifting line numbers",
    input: { file: "blank-lines-between.ndjson" },
    expected: { status: 207, accepted: 2, rejected: 1, errors: [invalidJson(9)] },
  },

  // ── Large inputs (generated) ─────────────────────────────────────────────────
  {
    name: "5 MB line",
    covers: "one long but legal line between two short ones",
    input: { generate: "line-5mb" },
    expected: { status: 200, accepted: 3, rejected: 0, errors: [] },
    big: true,
  },
  {
    name: "17 MiB line",
    covers: "a line over the 16 MiB limit is skipped as it streams (never held whole); its neighbours are stored",
    input: { generate: "line-17mb" },
    expected: {
      status: 207,
      accepted: 2,
      rejected: 1,
      errors: [{ line: 2, message: "longer than the 16 MiB limit" }],
    },
    big: true,
  },
  {
    name: "10,000 fields",
    covers: "10k fields at the top level, and 10k under labels",
    input: { generate: "fields-10k" },
    expected: { status: 200, accepted: 2, rejected: 0, errors: [] },
    big: true,
  },
  {
    name: "1,000-deep nesting",
    covers: "exactly at the nesting limit: stored",
    input: { generate: "nesting-1000" },
    expected: { status: 200, accepted: 2, rejected: 0, errors: [] },
  },
  {
    name: "1,001-deep nesting",
    covers: "one level past the limit: refused with its line, not a stack overflow",
    input: { generate: "nesting-1001" },
    expected: {
      status: 207,
      accepted: 2,
      rejected: 1,
      errors: [{ line: 2, message: "nested deeper than 1000 levels" }],
    },
  },
  {
    name: "100,000 nested arrays",
    covers: "JSON.parse copes, JSON.stringify would overflow the stack: refused with its line",
    input: { generate: "nesting-100k-arrays" },
    expected: {
      status: 207,
      accepted: 2,
      rejected: 1,
      errors: [{ line: 2, message: "nested deeper than 1000 levels" }],
    },
  },
  {
    name: "huge arrays",
    covers: "process.args with 500,000 entries (every rule matches over it), and 500,000 numbers",
    input: { generate: "huge-arrays" },
    expected: { status: 200, accepted: 2, rejected: 0, errors: [] },
    big: true,
  },
  {
    name: "array of 100,000 numbers",
    covers: "100k errors: all counted, the first 1,000 kept in the report",
    input: { generate: "huge-array-of-numbers" },
    expected: { status: 400, accepted: 0, rejected: 100_000, firstErrors: [{ line: 1, message: "found a number" }] },
    big: true,
  },
  {
    name: "5,000 bad lines",
    covers: "the good line after them is still stored",
    input: { generate: "many-bad-lines" },
    expected: { status: 207, accepted: 1, rejected: 5_000, firstErrors: [invalidJson(1), invalidJson(2)] },
  },
  {
    name: "bad line 1,000",
    covers: "the error names line 1000 exactly, every good line around it is stored",
    input: { generate: "bad-line-1000" },
    expected: { status: 207, accepted: 1_000, rejected: 1, errors: [invalidJson(1_000)] },
  },

  // ── gzip (generated) ─────────────────────────────────────────────────────────
  {
    name: "gzip bomb",
    covers: "130 KiB that inflate to 128 MiB: stopped at the upload limit, which counts decompressed bytes",
    input: { generate: "gzip-bomb" },
    maxUploadBytes: 16 * 1024 * 1024,
    expected: { status: 413, code: "upload_too_large", message: "after decompression" },
    // Offline detection has no upload limit: the blank line streams through and is skipped as too long.
    detect: { exit: 0, stderr: ["line 2: the line is longer than the 16 MiB limit"] },
    big: true,
  },
  {
    name: "truncated gzip",
    covers:
      "a gzip cut short after 100 events (an interrupted download): those 100 are stored, the break is an error at line 101",
    input: { generate: "gzip-truncated" },
    expected: {
      status: 207,
      accepted: 100,
      rejected: 1,
      errors: [{ line: 101, message: "gzip data is truncated" }],
    },
  },
  {
    name: "gzip cut inside its header",
    covers: "nothing could be read: the whole body is refused as truncated",
    input: { generate: "gzip-cut-in-header" },
    expected: { status: 400, code: "unreadable_upload", message: "gzip data is truncated" },
  },
  {
    name: "corrupt gzip",
    covers: "gzip magic bytes followed by something else",
    input: { generate: "gzip-corrupt" },
    expected: { status: 400, code: "unreadable_upload", message: "gzip data is corrupt" },
  },
  {
    name: "gzip of nothing",
    covers: "a valid gzip stream of zero bytes",
    input: { generate: "gzip-empty" },
    expected: { status: 400, code: "empty_upload", message: "NDJSON or a JSON array" },
  },
  {
    name: "gzip inside gzip",
    covers: "only one layer is undone; the inner gzip is binary",
    input: { generate: "gzip-double" },
    expected: { status: 400, code: "unreadable_upload", message: "binary data" },
  },
  {
    name: "gzip of BOM and CRLF",
    covers: "BOM and CRLF handling also apply after decompression",
    input: { generate: "gzip-bom-crlf" },
    expected: { status: 207, accepted: 2, rejected: 1, errors: [invalidJson(2)] },
  },
];
