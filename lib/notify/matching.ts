import type { NotifiedAlert } from "./notified-alert";
import { severityRank } from "./rule-schemas";

/** A notification rule as matching needs it (JSON columns already parsed). */
export interface MatchableRule {
  id: string;
  minSeverity: string;
  detectionRules: string[];
  tags: string[];
  containerPattern: string | null;
  namespacePattern: string | null;
  /** API token ids; empty: any source */
  sources: string[];
}

/** `*` any run of characters, `?` one; everything else literal; whole value, case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, "is");
}

function anyMatches(glob: string, values: (string | null)[]): boolean {
  const pattern = globToRegExp(glob);
  return values.some((value) => value !== null && pattern.test(value));
}

export function ruleMatches(rule: MatchableRule, alert: NotifiedAlert): boolean {
  if (severityRank(alert.severity) < severityRank(rule.minSeverity)) return false;
  if (rule.detectionRules.length > 0) {
    const wanted = new Set(rule.detectionRules.map((name) => name.toLowerCase()));
    if (!wanted.has(alert.rule.id.toLowerCase()) && !wanted.has(alert.rule.name.toLowerCase())) return false;
  }
  if (rule.tags.length > 0) {
    const tags = new Set(alert.rule.tags.map((tag) => tag.toLowerCase()));
    if (!rule.tags.some((tag) => tags.has(tag.toLowerCase()))) return false;
  }
  if (rule.containerPattern) {
    const { id, name, image } = alert.container;
    if (!anyMatches(rule.containerPattern, [name, id, image])) return false;
  }
  if (rule.namespacePattern && !anyMatches(rule.namespacePattern, [alert.pod.namespace])) return false;
  if (rule.sources.length > 0 && (alert.sourceTokenId === null || !rule.sources.includes(alert.sourceTokenId))) {
    return false;
  }
  return true;
}

/** The throttle window an alert counts against: one per notification rule and container (or host, without one). */
export function throttleKeyOf(ruleId: string, alert: NotifiedAlert): string {
  const where = alert.container.id ?? alert.container.name ?? (alert.host ? `host:${alert.host}` : "-");
  return `${ruleId}|${where}`;
}
