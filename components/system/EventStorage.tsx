"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

const StorageSchema = z.object({
  diskBytes: z.number(),
  eventsKept: z.number(),
  oldestEvent: z.string().nullable(),
  blocks: z.number(),
  blockBytes: z.number(),
  rawBytes: z.number(),
  eventsNotInBlocks: z.number(),
  retention: z.object({
    policy: z.string(),
    next: z
      .object({
        blockId: z.number(),
        events: z.number(),
        dueAt: z.string(),
        firstEvent: z.string(),
        lastEvent: z.string(),
      })
      .nullable(),
  }),
});
type Storage = z.infer<typeof StorageSchema>;

export function useEventStorage() {
  return useQuery({
    queryKey: ["system", "storage"],
    queryFn: async (): Promise<Storage> => {
      const response = await fetch("/api/system/storage", { cache: "no-store" });
      if (!response.ok) throw new Error(`storage figures: HTTP ${response.status}`);
      return StorageSchema.parse(await response.json());
    },
    refetchInterval: 60_000,
  });
}

function size(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Disk used, events kept, the oldest event, and what retention takes next: the dashboard's system panel. */
export function EventStorage() {
  const storage = useEventStorage();
  if (storage.isPending) return null;
  if (storage.isError) {
    return <p className="text-sm text-red-700">Storage figures are unavailable: {storage.error.message}</p>;
  }
  const data = storage.data;
  const next = data.retention.next;
  const ratio = data.blockBytes > 0 ? data.rawBytes / data.blockBytes : null;
  return (
    <dl
      aria-label="Event storage"
      className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div>
        <dt className="text-slate-500">Disk used</dt>
        <dd className="font-medium" data-testid="storage-disk">
          {size(data.diskBytes)}
          {ratio ? <span className="text-slate-500"> · events compressed {ratio.toFixed(0)}×</span> : null}
        </dd>
      </div>
      <div>
        <dt className="text-slate-500">Events kept</dt>
        <dd className="font-medium" data-testid="storage-events">
          {data.eventsKept.toLocaleString()}
          {data.eventsNotInBlocks > 0 ? (
            <span className="text-slate-500"> ({data.eventsNotInBlocks.toLocaleString()} being converted)</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className="text-slate-500">Oldest event</dt>
        <dd className="font-medium">{data.oldestEvent ? when(data.oldestEvent) : "none"}</dd>
      </div>
      <div>
        <dt className="text-slate-500">Retention</dt>
        <dd className="font-medium" data-testid="storage-retention">
          {data.retention.policy}
          <span className="block text-xs font-normal text-slate-500">
            {next
              ? `next: a block of ${next.events.toLocaleString()} events (${when(next.firstEvent)}–${when(next.lastEvent)}), due ${when(next.dueAt)}; alerts' events stay`
              : "nothing due"}
          </span>
        </dd>
      </div>
    </dl>
  );
}
