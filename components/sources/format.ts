import type { SourceHealth } from "./sources-queries";

/** Words for a source's state and timing, as the Sources page and the dashboard show them. */

const HEALTH_LABELS: Record<SourceHealth, string> = {
  ok: "OK",
  silent: "Silent",
  rejecting: "Rejecting lines",
  new: "Never pushed",
  revoked: "Revoked",
};

export function healthLabel(health: string): string {
  return HEALTH_LABELS[health as SourceHealth] ?? health;
}

/** A length of time in the largest unit that fits: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  // A sensor pushing several times a second has a usual gap of "0 s" otherwise.
  if (seconds < 1) return "< 1 s";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** Why a source has its health state, in one sentence (the badge's tooltip and the detail's first line). */
export function describeHealth(source: {
  health: string;
  usualGapSeconds: number | null;
  silentForSeconds: number | null;
  lastHour: { rejected: number };
}): string {
  switch (source.health) {
    case "ok":
      return source.usualGapSeconds === null
        ? "Pushing."
        : `Pushing as usual, about every ${formatDuration(source.usualGapSeconds)}.`;
    case "silent": {
      const silent = source.silentForSeconds === null ? "a while" : formatDuration(source.silentForSeconds);
      const usual =
        source.usualGapSeconds === null ? "" : ` (it usually pushes every ${formatDuration(source.usualGapSeconds)})`;
      return `Nothing received for ${silent}${usual}: check the sensor and its shipper.`;
    }
    case "rejecting":
      return `${source.lastHour.rejected.toLocaleString("en-US")} ${source.lastHour.rejected === 1 ? "line was" : "lines were"} rejected in the last hour: see the latest errors.`;
    case "new":
      return "This token has not pushed any events yet.";
    case "revoked":
      return "The token is revoked: its pushes are refused.";
    default:
      return healthLabel(source.health);
  }
}

const FORMAT_NAMES: Record<string, string> = {
  ecs: "ECS",
  falco: "Falco",
  tetragon: "Tetragon",
  datadog: "Datadog CWS",
  mixed: "Mixed",
};

export function formatName(format: string): string {
  return FORMAT_NAMES[format] ?? format;
}

export function silentSourcesText(count: number): string {
  return count === 1 ? "1 source silent" : `${count.toLocaleString("en-US")} sources silent`;
}
