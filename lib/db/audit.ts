import { prisma } from "./client";

/** Audit entries are only ever appended; nothing in the app updates or deletes them. */
export interface AuditEntry {
  actorId?: string | null;
  actorLabel: string;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export async function appendAudit(entry: AuditEntry): Promise<void> {
  await prisma().auditLog.create({
    data: {
      actorId: entry.actorId ?? null,
      actorLabel: entry.actorLabel,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      ip: entry.ip ?? null,
    },
  });
}
