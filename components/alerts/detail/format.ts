import { CLOSING_REASON_LABELS as REASON_LABELS } from "@/components/ui/severity";

/** Times and labels as analysts read them. */

const ABSOLUTE = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : ABSOLUTE.format(date);
}

export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** The closing reasons as words, looked up by the stored value. */
export const CLOSING_REASON_LABELS: Record<string, string> = REASON_LABELS;

/** One history row in words: "status: open → acknowledged", "checked triage step 2". */
export function describeChange(change: {
  field: string;
  fromValue: string | null;
  toValue: string | null;
  reason: string | null;
}): string {
  const step = /^(triage|response)_step\[(\d+)\](\.note)?$/.exec(change.field);
  if (step) {
    const label = `${step[1]} step ${Number(step[2]) + 1}`;
    if (step[3]) return change.toValue ? `noted on ${label}: “${change.toValue}”` : `cleared the note on ${label}`;
    return `${change.toValue === "checked" ? "checked" : "unchecked"} ${label}`;
  }
  switch (change.field) {
    case "status": {
      const reason = change.reason ? ` (${CLOSING_REASON_LABELS[change.reason] ?? change.reason})` : "";
      return `changed status ${change.fromValue ?? "—"} → ${change.toValue ?? "—"}${reason}`;
    }
    case "assignee":
      return change.toValue ? `assigned to ${change.toValue}` : `unassigned ${change.fromValue ?? ""}`.trim();
    case "note":
      return "added a note";
    default:
      return `changed ${change.field}: ${change.fromValue ?? "—"} → ${change.toValue ?? "—"}`;
  }
}
