import { type Actor, type Outcome, refuse } from "../auth/admin-outcome";
import {
  countChannels,
  deleteRuleRecord,
  findRuleRecord,
  insertRule,
  listRuleRecords,
  type RuleRecord,
  updateRuleRecord,
} from "../db/notification-settings";
import { auditNotification } from "./audit";
import type { NotificationRuleInput, NotificationRulePatch } from "./rule-schemas";
import { type NotificationRuleView, ruleView } from "./rule-view";

export async function listNotificationRules(): Promise<NotificationRuleView[]> {
  return (await listRuleRecords()).map(ruleView);
}

function recordOf(input: NotificationRulePatch): Partial<RuleRecord> {
  return {
    name: input.name,
    enabled: input.enabled,
    minSeverity: input.minSeverity,
    detectionRules: input.detectionRules ? JSON.stringify(input.detectionRules) : undefined,
    tags: input.tags ? JSON.stringify(input.tags) : undefined,
    sources: input.sources ? JSON.stringify(input.sources) : undefined,
    containerPattern: input.containerPattern,
    namespacePattern: input.namespacePattern,
    throttleMinutes: input.throttleMinutes,
  };
}

async function unknownChannels(channelIds: string[] | undefined) {
  if (!channelIds) return null;
  const unique = [...new Set(channelIds)];
  if ((await countChannels(unique)) === unique.length) return null;
  return refuse(400, "unknown_channel", "A channel the rule names does not exist.", [
    { field: "channelIds", message: "names a channel that does not exist" },
  ]);
}

function nameTaken(name: string) {
  return refuse(409, "name_taken", `A notification rule named "${name}" already exists.`, [
    { field: "name", message: "is already taken" },
  ]);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

export async function createNotificationRule(
  actor: Actor,
  input: NotificationRuleInput,
): Promise<Outcome<NotificationRuleView>> {
  const refused = await unknownChannels(input.channelIds);
  if (refused) return refused;
  try {
    const record = recordOf(input) as RuleRecord;
    const rule = await insertRule(
      {
        ...record,
        enabled: input.enabled ?? true,
        containerPattern: input.containerPattern ?? null,
        namespacePattern: input.namespacePattern ?? null,
      },
      [...new Set(input.channelIds)],
    );
    const view = ruleView(rule);
    await auditNotification(actor, "notification_rule.create", "notification_rule", rule.id, { ...view });
    return { ok: true, value: view };
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(input.name);
    throw error;
  }
}

export async function updateNotificationRule(
  actor: Actor,
  id: string,
  patch: NotificationRulePatch,
): Promise<Outcome<NotificationRuleView>> {
  if (!(await findRuleRecord(id))) return refuse(404, "not_found", `No notification rule with id "${id}".`);
  const refused = await unknownChannels(patch.channelIds);
  if (refused) return refused;
  try {
    const channelIds = patch.channelIds ? [...new Set(patch.channelIds)] : undefined;
    const view = ruleView(await updateRuleRecord(id, recordOf(patch), channelIds));
    await auditNotification(actor, "notification_rule.update", "notification_rule", id, { ...patch });
    return { ok: true, value: view };
  } catch (error) {
    if (isUniqueViolation(error) && patch.name) return nameTaken(patch.name);
    throw error;
  }
}

export async function deleteNotificationRule(actor: Actor, id: string): Promise<Outcome<{ id: string }>> {
  const rule = await findRuleRecord(id);
  if (!rule) return refuse(404, "not_found", `No notification rule with id "${id}".`);
  await deleteRuleRecord(id);
  await auditNotification(actor, "notification_rule.delete", "notification_rule", id, { name: rule.name });
  return { ok: true, value: { id } };
}
