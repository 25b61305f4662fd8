import type { ChannelSettings } from "../channel-schemas";
import { alertFacts, headlineOf, type NotificationMessage, TEST_TEXT } from "../message";
import { deliveryHeaders, postJson, type SendOutcome } from "./http-post";

type SlackSettings = Extract<ChannelSettings, { kind: "slack" }>;

/** Slack's three control characters in message text; Mattermost and Rocket.Chat read the same escapes. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const DIGEST_LIST_LIMIT = 20;

/**
 * An incoming-webhook body: `text` alone carries the whole message (mrkdwn), which Slack, Mattermost and
 * Rocket.Chat all render, so no receiver shows an empty notification.
 */
export function slackBody(message: NotificationMessage): { text: string } {
  if (message.kind === "test") return { text: `${TEST_TEXT} <${message.baseUrl}|Open Keelwatch>` };
  const lines = [`*${escapeSlack(headlineOf(message))}*`];
  if (message.kind === "alert" && message.alerts[0]) {
    const alert = message.alerts[0];
    for (const fact of alertFacts(alert)) {
      const value = fact.label === "Command line" ? `\`${escapeSlack(fact.value)}\`` : escapeSlack(fact.value);
      lines.push(`${fact.label}: ${value}`);
    }
    lines.push(`<${alert.url}|Open the alert in Keelwatch>`);
  } else {
    for (const alert of message.alerts.slice(0, DIGEST_LIST_LIMIT)) {
      const command = alert.process.commandLine ? ` \`${escapeSlack(alert.process.commandLine)}\`` : "";
      lines.push(`• <${alert.url}|${escapeSlack(alert.severity)}: ${escapeSlack(alert.rule.name)}>${command}`);
    }
    const more = message.alerts.length - DIGEST_LIST_LIMIT;
    if (more > 0) lines.push(`…and ${more} more`);
  }
  if (message.notificationRule) lines.push(`_Notification rule: ${escapeSlack(message.notificationRule.name)}_`);
  return { text: lines.join("\n") };
}

export function sendSlack(settings: SlackSettings, message: NotificationMessage): Promise<SendOutcome> {
  return postJson(settings.url, JSON.stringify(slackBody(message)), deliveryHeaders(message));
}
