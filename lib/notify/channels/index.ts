import type { ChannelSettings } from "../channel-schemas";
import type { NotificationMessage } from "../message";
import { sendEmail } from "./email";
import type { SendOutcome } from "./http-post";
import { sendSlack } from "./slack";
import { sendTeams } from "./teams";
import { sendWebhook } from "./webhook";

export type { SendOutcome } from "./http-post";

/** Sends one message through a channel of any kind; never throws, a failure is an outcome. */
export async function sendThrough(settings: ChannelSettings, message: NotificationMessage): Promise<SendOutcome> {
  try {
    switch (settings.kind) {
      case "webhook":
        return await sendWebhook(settings, message);
      case "slack":
        return await sendSlack(settings, message);
      case "teams":
        return await sendTeams(settings, message);
      case "email":
        return await sendEmail(settings, message);
    }
  } catch (error) {
    return { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
  }
}
