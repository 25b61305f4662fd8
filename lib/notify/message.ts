import { z } from "zod";
import type { NotifiedAlert } from "./notified-alert";

/** One message to one channel, before a channel renders it in its own format. */
export interface NotificationMessage {
  /** alert: one new alert; digest: the alerts a throttle window held back; test: the test button */
  kind: "alert" | "digest" | "test";
  /** the delivery id: the idempotency key, the same on every attempt */
  deliveryId: string;
  notificationRule: { id: string; name: string } | null;
  alerts: NotifiedAlert[];
  /** digests: the throttle window's length */
  windowMinutes: number | null;
  /** where Keelwatch is, for the test message's link */
  baseUrl: string;
}

const Nullable = z.string().nullable();

/** The JSON body a generic webhook receives (also in the OpenAPI document, under `webhooks`). */
export const WebhookPayloadSchema = z.object({
  version: z.literal(1),
  type: z.enum(["alert", "digest", "test"]),
  deliveryId: z.string().describe("the idempotency key: the same on every retry of this message"),
  notificationRule: z.object({ id: z.string(), name: z.string() }).nullable(),
  digest: z
    .object({ count: z.number().int(), windowMinutes: z.number().int() })
    .nullable()
    .describe("for type digest: how many alerts the throttle window held back"),
  alerts: z.array(
    z.object({
      id: z.string(),
      url: z.string().describe("the alert in Keelwatch"),
      rule: z.object({ id: z.string(), name: z.string(), tags: z.array(z.string()) }),
      severity: z.enum(["low", "medium", "high", "critical"]),
      riskScore: z.number().int(),
      status: z.string(),
      timestamp: z.string().describe("time of the triggering event, ISO 8601"),
      container: z.object({ id: Nullable, name: Nullable, image: Nullable }),
      pod: z.object({ name: Nullable, namespace: Nullable }),
      host: Nullable,
      process: z.object({ name: Nullable, executable: Nullable, commandLine: Nullable }),
      user: Nullable,
    }),
  ),
});
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

export function webhookPayload(message: NotificationMessage): WebhookPayload {
  return {
    version: 1,
    type: message.kind,
    deliveryId: message.deliveryId,
    notificationRule: message.notificationRule,
    digest:
      message.kind === "digest" ? { count: message.alerts.length, windowMinutes: message.windowMinutes ?? 0 } : null,
    alerts: message.alerts.map(({ uploadId: _uploadId, sourceTokenId: _source, severity, ...alert }) => ({
      ...alert,
      severity: severity as WebhookPayload["alerts"][number]["severity"],
    })),
  };
}

/** "critical" → "CRITICAL"; the word people scan for first. */
export function severityLabel(severity: string): string {
  return severity.toUpperCase();
}

/** Where an alert happened, as short as it can be said: container, pod in its namespace, host. */
export function whereOf(alert: NotifiedAlert): string {
  const parts: string[] = [];
  const container = alert.container.name ?? alert.container.id?.slice(0, 12);
  if (container) parts.push(`container ${container}`);
  if (alert.pod.name) parts.push(`pod ${alert.pod.namespace ? `${alert.pod.namespace}/` : ""}${alert.pod.name}`);
  else if (alert.pod.namespace) parts.push(`namespace ${alert.pod.namespace}`);
  if (alert.host) parts.push(`host ${alert.host}`);
  return parts.join(", ") || "unknown location";
}

/** The one-line headline of a message, also the e-mail subject. */
export function headlineOf(message: NotificationMessage): string {
  if (message.kind === "test") return "Keelwatch test notification";
  const first = message.alerts[0];
  if (message.kind === "digest" || !first) {
    const count = message.alerts.length;
    return `${count} more alert${count === 1 ? "" : "s"} for ${message.notificationRule?.name ?? "a notification rule"} (digest)`;
  }
  return `${severityLabel(first.severity)}: ${first.rule.name} in ${whereOf(first)}`;
}

/** Label/value lines describing one alert, for the formats that show fields. */
export function alertFacts(alert: NotifiedAlert): { label: string; value: string }[] {
  const facts = [
    { label: "Rule", value: alert.rule.name },
    { label: "Severity", value: `${alert.severity} (risk ${alert.riskScore})` },
    { label: "Container", value: alert.container.name ?? alert.container.id },
    { label: "Image", value: alert.container.image },
    { label: "Pod", value: alert.pod.name ? `${alert.pod.namespace ?? "?"}/${alert.pod.name}` : null },
    { label: "Host", value: alert.host },
    { label: "Command line", value: alert.process.commandLine ?? alert.process.executable },
    { label: "User", value: alert.user },
    { label: "Time", value: alert.timestamp },
  ];
  return facts.filter((fact): fact is { label: string; value: string } => Boolean(fact.value));
}

export const TEST_TEXT = "This is a test message from Keelwatch: the channel is set up correctly.";
