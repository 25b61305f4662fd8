import type { RuleWithChannels } from "../db/notification-settings";
import type { MatchableRule } from "./matching";
import type { Severity } from "./rule-schemas";

export interface NotificationRuleView {
  id: string;
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  detectionRules: string[];
  tags: string[];
  containerPattern: string | null;
  namespacePattern: string | null;
  sources: string[];
  throttleMinutes: number;
  channelIds: string[];
  createdAt: string;
  updatedAt: string;
}

function parseList(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

export function ruleView(rule: RuleWithChannels): NotificationRuleView {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    minSeverity: rule.minSeverity as Severity,
    detectionRules: parseList(rule.detectionRules),
    tags: parseList(rule.tags),
    containerPattern: rule.containerPattern,
    namespacePattern: rule.namespacePattern,
    sources: parseList(rule.sources),
    throttleMinutes: rule.throttleMinutes,
    channelIds: rule.channels.map((link) => link.channelId),
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

export function matchableRule(rule: RuleWithChannels): MatchableRule {
  const view = ruleView(rule);
  return { ...view };
}
