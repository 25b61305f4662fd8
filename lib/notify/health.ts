/** A channel shows as failing once this many attempts in a row have failed. */
export const FAILING_AFTER = 3;

export function isFailing(channel: { enabled: boolean; consecutiveFailures: number }): boolean {
  return channel.enabled && channel.consecutiveFailures >= FAILING_AFTER;
}
