import type { AlertForNotification } from "../db/notification-alerts";

/** An alert as every message names it: what fired, how bad, where, what ran, and where to open it. */
export interface NotifiedAlert {
  id: string;
  /** link to the alert in Keelwatch */
  url: string;
  rule: { id: string; name: string; tags: string[] };
  severity: string;
  riskScore: number;
  status: string;
  /** time of the triggering event */
  timestamp: string;
  container: { id: string | null; name: string | null; image: string | null };
  pod: { name: string | null; namespace: string | null };
  host: string | null;
  process: { name: string | null; executable: string | null; commandLine: string | null };
  user: string | null;
  uploadId: string | null;
  /** the API token (sensor) whose events raised it; null for uploads by people */
  sourceTokenId: string | null;
}

/** Reads a dotted ECS field from an event document, whether nested or flattened. */
function field(document: Record<string, unknown> | undefined, dotted: string): string | null {
  if (!document) return null;
  if (typeof document[dotted] === "string") return document[dotted] as string;
  let value: unknown = document;
  for (const part of dotted.split(".")) {
    if (value === null || typeof value !== "object") return null;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === "string" ? value : null;
}

export function alertUrl(baseUrl: string, alertId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/alerts/${encodeURIComponent(alertId)}`;
}

export function notifiedAlertOf(alert: AlertForNotification, baseUrl: string): NotifiedAlert {
  const document = alert.document ?? undefined;
  const isPod = field(document, "orchestrator.resource.type") === "pod";
  return {
    id: alert.id,
    url: alertUrl(baseUrl, alert.id),
    rule: { id: alert.ruleId, name: alert.ruleName, tags: alert.ruleTags },
    severity: alert.severity,
    riskScore: alert.riskScore,
    status: alert.status,
    timestamp: alert.timestamp.toISOString(),
    container: { id: alert.containerId, name: alert.containerName, image: alert.imageName },
    pod: {
      name: isPod ? field(document, "orchestrator.resource.name") : null,
      namespace: field(document, "orchestrator.namespace"),
    },
    host: alert.hostName,
    process: { name: alert.processName, executable: alert.processExecutable, commandLine: alert.commandLine },
    user: alert.userName,
    uploadId: alert.uploadId,
    sourceTokenId: alert.sourceTokenId,
  };
}
