/** Event file formats the server reads (lib/events/formats), as the upload form offers them. */
export const UPLOAD_FORMATS = [
  { value: "auto", label: "Detect automatically" },
  { value: "ecs", label: "Elastic ECS (Defend for Containers)" },
  { value: "falco", label: "Falco JSON output" },
  { value: "tetragon", label: "Tetragon JSON export" },
  { value: "datadog", label: "Datadog CWS events" },
] as const;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** Formats an upload may be reported in without being offered in the form: "auto" met several formats in one stream. */
const REPORTED_ONLY: Record<string, string> = { mixed: "Mixed (several formats)" };

export function formatLabel(format: string): string {
  return UPLOAD_FORMATS.find((option) => option.value === format)?.label ?? REPORTED_ONLY[format] ?? format;
}
