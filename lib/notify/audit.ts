import type { Actor } from "../auth/admin-outcome";
import { principalLabel } from "../auth/principal";
import { appendAudit } from "../db/audit";

/** Notification changes in the audit log; `details` never holds a secret. */
export function auditNotification(
  actor: Actor,
  action: string,
  targetType: "notification_channel" | "notification_rule" | "setting",
  targetId: string,
  details: Record<string, unknown>,
): Promise<void> {
  return appendAudit({
    actorId: actor.principal.kind === "user" ? actor.principal.id : null,
    actorLabel: principalLabel(actor.principal),
    action,
    targetType,
    targetId,
    details,
    ip: actor.ip,
  });
}
