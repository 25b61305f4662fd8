import { z } from "zod";

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: string): number {
  return SEVERITIES.indexOf(severity as Severity) + 1;
}

const Glob = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .nullable()
  .optional()
  .describe("`*` matches any run of characters, `?` one character; case-insensitive");
const Names = z.array(z.string().trim().min(1).max(200)).max(100);

const RuleFields = {
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean(),
  minSeverity: z.enum(SEVERITIES).describe("alerts of this severity or above"),
  detectionRules: Names.describe("detection rule ids or names; empty: any rule"),
  tags: Names.describe("the alert's rule carries at least one of these tags; empty: any"),
  containerPattern: Glob.describe("glob over the container name, id or image; empty: any"),
  namespacePattern: Glob.describe("glob over the Kubernetes namespace (orchestrator.namespace); empty: any"),
  sources: z
    .array(z.string().min(1).max(100))
    .max(100)
    .describe("ids of API tokens (sensors): alerts from events they sent; empty: any source"),
  throttleMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .describe("at most one message per rule and container in this many minutes, the rest in one digest; 0: off"),
  channelIds: z.array(z.string().min(1).max(100)).min(1, "name at least one channel").max(50),
};

export const NotificationRuleInputSchema = z
  .object({
    ...RuleFields,
    enabled: RuleFields.enabled.optional(),
    minSeverity: RuleFields.minSeverity.default("low"),
    detectionRules: RuleFields.detectionRules.default([]),
    tags: RuleFields.tags.default([]),
    sources: RuleFields.sources.default([]),
    throttleMinutes: RuleFields.throttleMinutes.default(0),
  })
  .strict();
export type NotificationRuleInput = z.infer<typeof NotificationRuleInputSchema>;

/** A change: only the fields sent change (no defaults here, so a PATCH never resets what it leaves out). */
export const NotificationRulePatchSchema = z.object(RuleFields).partial().strict();
export type NotificationRulePatch = z.infer<typeof NotificationRulePatchSchema>;

export const PublicUrlSettingSchema = z
  .object({
    publicUrl: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .max(500)
      .nullable()
      .describe("base URL people open Keelwatch at, for links in messages; null: unset"),
  })
  .strict();

export const DeliveryQuerySchema = z.object({
  alertId: z.string().min(1).max(100).describe("the alert whose deliveries to list"),
});
