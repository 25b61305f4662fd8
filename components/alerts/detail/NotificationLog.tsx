"use client";

import { useQuery } from "@tanstack/react-query";
import type { AlertDeliveryView } from "@/lib/db/notification-settings";
import { formatTime } from "./format";
import { Muted, Section } from "./Section";

const STATUS_TEXT: Record<string, string> = {
  pending: "waiting to be sent again",
  delivered: "delivered",
  failed: "given up",
  held: "held for the throttle digest",
  digested: "sent in a digest",
};

function statusOf(delivery: AlertDeliveryView): string {
  if (delivery.status === "digested" && delivery.digest) {
    return delivery.digest.status === "delivered"
      ? "delivered in a digest"
      : `in a digest, ${STATUS_TEXT[delivery.digest.status] ?? delivery.digest.status}`;
  }
  return STATUS_TEXT[delivery.status] ?? delivery.status;
}

/** Where this alert's notifications went, and each attempt: the alert's history of messages. */
export function NotificationLog({ alertId }: { alertId: string }) {
  const log = useQuery({
    queryKey: ["notifications", "deliveries", alertId],
    queryFn: async (): Promise<AlertDeliveryView[]> => {
      const response = await fetch(`/api/notifications/deliveries?alertId=${encodeURIComponent(alertId)}`, {
        cache: "no-store",
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      return ((await response.json()) as { deliveries: AlertDeliveryView[] }).deliveries;
    },
    refetchInterval: 15_000,
  });
  if (log.isPending || (log.isSuccess && log.data.length === 0)) return null;
  return (
    <Section id="notifications" title="Notifications">
      {log.isError ? (
        <Muted>The notification log could not be loaded: {log.error.message}</Muted>
      ) : (
        <ol className="space-y-2 text-xs" data-testid="notification-log">
          {log.data.map((delivery) => {
            const last = delivery.attemptLog.at(-1);
            return (
              <li key={delivery.id} className="flex flex-col" data-testid="notification-delivery">
                <span>
                  <span className="font-medium">{delivery.channel.name}</span> ({delivery.channel.kind}
                  {delivery.notificationRule ? `, rule ${delivery.notificationRule.name}` : ""}): {statusOf(delivery)}
                </span>
                <span className="text-slate-500">
                  {delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"}
                  {last ? `, last ${formatTime(last.at)}` : ""}
                  {delivery.status === "pending" && delivery.attempts > 0
                    ? `, next ${formatTime(delivery.nextAttemptAt)}`
                    : ""}
                </span>
                {delivery.lastError && delivery.status !== "delivered" ? (
                  <span className="break-words text-red-700 dark:text-red-400">{delivery.lastError}</span>
                ) : null}
                <span className="font-mono text-[10px] text-slate-400">key {delivery.digest?.id ?? delivery.id}</span>
              </li>
            );
          })}
        </ol>
      )}
    </Section>
  );
}
