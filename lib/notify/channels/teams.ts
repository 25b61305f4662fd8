import type { ChannelSettings } from "../channel-schemas";
import { alertFacts, headlineOf, type NotificationMessage, TEST_TEXT } from "../message";
import { deliveryHeaders, postJson, type SendOutcome } from "./http-post";

type TeamsSettings = Extract<ChannelSettings, { kind: "teams" }>;

const DIGEST_LIST_LIMIT = 20;
const SEVERITY_COLOR: Record<string, string> = { critical: "Attention", high: "Attention", medium: "Warning" };

/**
 * The body a Teams "post to a channel when a webhook request is received" workflow expects: a message whose
 * attachment is an Adaptive Card. Card text is plain TextBlocks (Teams renders a little markdown in them, so
 * untrusted values go into FactSet values, which it shows as they are).
 */
export function teamsBody(message: NotificationMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: "TextBlock",
      size: "Medium",
      weight: "Bolder",
      wrap: true,
      text: headlineOf(message),
      color: SEVERITY_COLOR[message.alerts[0]?.severity ?? ""] ?? "Default",
    },
  ];
  const actions: Record<string, unknown>[] = [];
  if (message.kind === "test") {
    body.push({ type: "TextBlock", wrap: true, text: TEST_TEXT });
    actions.push({ type: "Action.OpenUrl", title: "Open Keelwatch", url: message.baseUrl });
  } else if (message.kind === "alert" && message.alerts[0]) {
    const alert = message.alerts[0];
    body.push({ type: "FactSet", facts: alertFacts(alert).map((fact) => ({ title: fact.label, value: fact.value })) });
    actions.push({ type: "Action.OpenUrl", title: "Open the alert in Keelwatch", url: alert.url });
  } else {
    body.push({
      type: "FactSet",
      facts: message.alerts.slice(0, DIGEST_LIST_LIMIT).map((alert) => ({
        title: alert.severity,
        value: `${alert.rule.name}: ${alert.process.commandLine ?? alert.process.name ?? ""} (${alert.url})`,
      })),
    });
  }
  if (message.notificationRule) {
    body.push({
      type: "TextBlock",
      isSubtle: true,
      wrap: true,
      text: `Notification rule: ${message.notificationRule.name}`,
    });
  }
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          actions,
        },
      },
    ],
  };
}

export function sendTeams(settings: TeamsSettings, message: NotificationMessage): Promise<SendOutcome> {
  return postJson(settings.url, JSON.stringify(teamsBody(message)), deliveryHeaders(message));
}
