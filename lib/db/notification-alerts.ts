import { type AlertContext, alertContextOf } from "./alerts";
import { prisma } from "./client";
import { readEventDocuments } from "./events";
import { parseEventDocument } from "./events/reader";

/** An alert with what its messages name: its columns, its rule's tags and its first triggering event. */
export interface AlertForNotification extends AlertContext {
  id: string;
  ruleId: string;
  ruleName: string;
  ruleTags: string[];
  severity: string;
  riskScore: number;
  status: string;
  timestamp: Date;
  uploadId: string | null;
  /** the API token whose events raised the alert (a sensor), null for uploads by people */
  sourceTokenId: string | null;
  /** the first triggering event (for the pod and namespace); null when it cannot be read */
  document: Record<string, unknown> | null;
}

function parseTags(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === "string") : [];
  } catch {
    return [];
  }
}

/** Many alerts in three queries (alerts, then their first events' documents), for a round of the sender. */
export async function loadAlertsForNotification(ids: readonly string[]): Promise<Map<string, AlertForNotification>> {
  if (ids.length === 0) return new Map();
  const alerts = await prisma().alert.findMany({
    where: { id: { in: [...new Set(ids)] } },
    include: {
      rule: { select: { tags: true } },
      upload: { select: { apiTokenId: true } },
      events: { where: { position: 0 }, select: { eventId: true } },
    },
  });
  const eventIds = alerts.flatMap((alert) => alert.events.map((link) => link.eventId));
  const documents = await readEventDocuments(eventIds);
  const found = new Map<string, AlertForNotification>();
  for (const { rule, upload, events, ...alert } of alerts) {
    const text = events[0] ? documents.get(events[0].eventId) : undefined;
    // An unreadable event (a damaged block) only costs the message its pod and namespace.
    const document = typeof text === "string" ? parseEventDocument(text) : null;
    found.set(alert.id, {
      id: alert.id,
      ruleId: alert.ruleId,
      ruleName: alert.ruleName,
      ruleTags: parseTags(rule.tags),
      severity: alert.severity,
      riskScore: alert.riskScore,
      status: alert.status,
      timestamp: alert.timestamp,
      ...alertContextOf(alert),
      uploadId: alert.uploadId,
      sourceTokenId: upload?.apiTokenId ?? null,
      document,
    });
  }
  return found;
}
