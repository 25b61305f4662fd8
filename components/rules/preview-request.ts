import { compileFieldGetter, type FieldValue } from "@/lib/eql/values";

/**
 * The rule preview's pure parts: which stored events a chosen range stands
 * for (the body of POST /api/rules/preview) and how one matched event reads
 * in the sample table. Kept apart from the component so both are unit-tested.
 */

export const PRESET_RANGES = {
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type PresetRange = keyof typeof PRESET_RANGES;

export type PreviewSource =
  | { kind: "preset"; range: PresetRange }
  /** `datetime-local` input values, read as UTC (the rest of the app shows times in UTC). */
  | { kind: "custom"; from: string; to: string }
  | { kind: "upload"; uploadId: string };

export type PreviewScope = { uploadId: string } | { from: string; to: string };

/** The scope to send, or a message saying what is missing or wrong in the choice. */
export function previewScope(
  source: PreviewSource,
  now: Date,
): { ok: true; scope: PreviewScope } | { ok: false; error: string } {
  switch (source.kind) {
    case "preset": {
      const to = now.getTime();
      return {
        ok: true,
        scope: { from: new Date(to - PRESET_RANGES[source.range].ms).toISOString(), to: now.toISOString() },
      };
    }
    case "upload":
      return source.uploadId
        ? { ok: true, scope: { uploadId: source.uploadId } }
        : { ok: false, error: "Choose an upload." };
    case "custom": {
      const from = localAsUtc(source.from);
      const to = localAsUtc(source.to);
      if (!from) return { ok: false, error: "Enter a start time (From)." };
      if (!to) return { ok: false, error: "Enter an end time (To)." };
      if (from.getTime() >= to.getTime()) return { ok: false, error: "From must be before To." };
      return { ok: true, scope: { from: from.toISOString(), to: to.toISOString() } };
    }
  }
}

/** "2026-11-23T08:30" (or with seconds) as that wall-clock time in UTC; null when empty or not a time. */
function localAsUtc(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** One event of a match as the sample table shows it; `null` fields were absent from the event. */
export interface SampleStep {
  missing: boolean;
  time: string | null;
  container: string | null;
  image: string | null;
  process: string | null;
  commandLine: string | null;
}

const getters = {
  containerName: compileFieldGetter(["container", "name"]),
  containerId: compileFieldGetter(["container", "id"]),
  image: compileFieldGetter(["container", "image", "name"]),
  executable: compileFieldGetter(["process", "executable"]),
  name: compileFieldGetter(["process", "name"]),
  commandLine: compileFieldGetter(["process", "command_line"]),
  args: compileFieldGetter(["process", "args"]),
};

function text(value: FieldValue): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(" ") : String(value);
}

/**
 * Reads the columns from an ECS event. A sequence's missing event (stored id
 * null) is marked rather than shown as a row of blanks.
 */
export function sampleStep(event: Record<string, unknown>, eventId: number | null, timestampField: string): SampleStep {
  if (eventId === null && Object.keys(event).length === 0) {
    return { missing: true, time: null, container: null, image: null, process: null, commandLine: null };
  }
  const args = getters.args(event);
  return {
    missing: false,
    time: text(compileFieldGetter(timestampField.split("."))(event)),
    container: text(getters.containerName(event)) ?? text(getters.containerId(event)),
    image: text(getters.image(event)),
    process: text(getters.executable(event)) ?? text(getters.name(event)),
    commandLine: text(getters.commandLine(event)) ?? (args === undefined ? null : text(args)),
  };
}
