import type { NotificationChannel } from "../db/notification-settings";
import { type ChannelSettings, ChannelSettingsSchema } from "./channel-schemas";
import { decryptSecrets } from "./secret-box";

/** A channel's settings that are not secret, as stored; {} when unreadable. */
export function parseConfig(channel: NotificationChannel): Record<string, unknown> {
  try {
    return JSON.parse(channel.config) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The full settings the sender needs, secrets decrypted; throws when the key no longer opens them. */
export function channelSettings(channel: NotificationChannel): ChannelSettings {
  return ChannelSettingsSchema.parse({
    kind: channel.kind,
    ...parseConfig(channel),
    ...decryptSecrets(channel.secrets),
  });
}
