import { failingChannelRecords } from "../db/notification-settings";
import { FAILING_AFTER } from "./health";

export interface FailingChannel {
  id: string;
  name: string;
  kind: string;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

export async function failingChannels(): Promise<FailingChannel[]> {
  return (await failingChannelRecords(FAILING_AFTER)).map((channel) => ({
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    consecutiveFailures: channel.consecutiveFailures,
    lastError: channel.lastError,
    lastErrorAt: channel.lastErrorAt?.toISOString() ?? null,
  }));
}
