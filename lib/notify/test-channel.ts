import { createTestDelivery } from "../db/notification-queue";
import { findChannelByIdOrName } from "../db/notification-settings";
import type { SendOutcome } from "./channels";
import { publicBaseUrl } from "./public-url";
import { alertLoader, sendDelivery, senderOptionsFromEnv } from "./sender";

export type TestResult =
  | { found: false }
  | { found: true; channel: { id: string; name: string }; deliveryId: string; outcome: SendOutcome };

/**
 * Sends a test message through a channel now, by id or name, and says how it went. It is logged like any
 * delivery (and counts for the channel's failing state), but never retried.
 */
export async function testChannel(idOrName: string): Promise<TestResult> {
  const channel = await findChannelByIdOrName(idOrName);
  if (!channel) return { found: false };
  const options = senderOptionsFromEnv();
  const now = new Date();
  const claimedUntil = new Date(now.getTime() + options.leaseMs);
  const deliveryId = await createTestDelivery(channel.id, now, claimedUntil);
  const baseUrl = await publicBaseUrl();
  const outcome = (await sendDelivery(deliveryId, claimedUntil, options, alertLoader(baseUrl), baseUrl)) ?? {
    ok: false,
    statusCode: null,
    error: "the test message was taken by another process",
  };
  return { found: true, channel: { id: channel.id, name: channel.name }, deliveryId, outcome };
}
