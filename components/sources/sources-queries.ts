"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";

/** GET /api/sources (issue 21): every ingest token, and any other token that pushed, as a sensor source. */

export const SOURCE_HEALTHS = ["ok", "silent", "rejecting", "new", "revoked"] as const;
export type SourceHealth = (typeof SOURCE_HEALTHS)[number];

const CountSchema = z.number().int().nonnegative();
const WindowSchema = z.object({ pushes: CountSchema, events: CountSchema, rejected: CountSchema, alerts: CountSchema });
export type SourceWindow = z.infer<typeof WindowSchema>;

const SourceErrorSchema = z.object({ at: z.string(), line: z.number().int(), message: z.string() });
export type SourceError = z.infer<typeof SourceErrorSchema>;

const SourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.string(),
  revoked: z.boolean(),
  createdAt: z.string(),
  firstSeenAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  formats: z.array(z.string()),
  // A state added on the server later still shows (as its own word) rather than failing the whole page.
  health: z.string(),
  usualGapSeconds: z.number().nullable(),
  silentForSeconds: z.number().nullable(),
  lastHour: WindowSchema,
  lastDay: WindowSchema,
  total: WindowSchema,
  latestErrors: z.array(SourceErrorSchema),
  streamUploadId: z.string().nullable(),
});
export type Source = z.infer<typeof SourceSchema>;

const SourceListSchema = z.object({ items: z.array(SourceSchema), silent: CountSchema });
export type SourceList = z.infer<typeof SourceListSchema>;

const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const sourceKeys = {
  all: ["sources"] as const,
  list: () => [...sourceKeys.all, "list"] as const,
};

async function fetchSources(): Promise<SourceList> {
  const response = await fetch("/api/sources", { cache: "no-store" });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(body);
    throw new Error(parsed.success ? parsed.data.error.message : `The server answered ${response.status}.`);
  }
  return SourceListSchema.parse(body);
}

/** Sensors push continuously: the list refreshes itself so "last seen" and the counts stay current. */
export function useSources() {
  return useQuery({ queryKey: sourceKeys.list(), queryFn: fetchSources, refetchInterval: 15_000 });
}

/** How many sources are silent, for the dashboard's notice; shares the list's cache. */
export function useSilentSourceCount() {
  return useQuery({
    queryKey: sourceKeys.list(),
    queryFn: fetchSources,
    refetchInterval: 60_000,
    select: (list) => list.silent,
  });
}
