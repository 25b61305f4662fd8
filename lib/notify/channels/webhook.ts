import { createHmac } from "node:crypto";
import type { ChannelSettings } from "../channel-schemas";
import { type NotificationMessage, webhookPayload } from "../message";
import { deliveryHeaders, postJson, type SendOutcome } from "./http-post";

type WebhookSettings = Extract<ChannelSettings, { kind: "webhook" }>;

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the shared secret, as GitHub-style receivers check it. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export function sendWebhook(settings: WebhookSettings, message: NotificationMessage): Promise<SendOutcome> {
  const body = JSON.stringify(webhookPayload(message));
  const headers: Record<string, string> = { ...settings.headers, ...deliveryHeaders(message) };
  headers["X-Keelwatch-Timestamp"] = new Date().toISOString();
  if (settings.hmacSecret) headers["X-Keelwatch-Signature"] = signBody(settings.hmacSecret, body);
  return postJson(settings.url, body, headers);
}
