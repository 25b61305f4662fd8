"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { FailingChannel } from "@/lib/notify/status";

/** A notice while any notification channel keeps failing, so nobody trusts messages that are not arriving. */
export function FailingChannels() {
  const status = useQuery({
    queryKey: ["notifications", "status"],
    queryFn: async (): Promise<FailingChannel[]> => {
      const response = await fetch("/api/notifications/status", { cache: "no-store" });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      return ((await response.json()) as { failing: FailingChannel[] }).failing;
    },
    refetchInterval: 30_000,
  });
  if (!status.isSuccess || status.data.length === 0) return null;
  return (
    <div
      role="alert"
      data-testid="failing-channels"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-semibold">
        {status.data.length === 1
          ? "A notification channel is failing"
          : `${status.data.length} notification channels are failing`}
        : new alerts are queued and retried, but not reaching the team.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {status.data.map((channel) => (
          <li key={channel.id}>
            <span className="font-medium">{channel.name}</span> ({channel.kind}, {channel.consecutiveFailures} failures
            in a row): {channel.lastError ?? "unknown error"}
          </li>
        ))}
      </ul>
      <p className="mt-1">
        <Link href="/settings?tab=notifications" className="underline">
          Notification settings
        </Link>
      </p>
    </div>
  );
}
