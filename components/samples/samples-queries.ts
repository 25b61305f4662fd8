"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";

const SampleStatusSchema = z.object({
  loaded: z.boolean(),
  uploads: z.array(z.object({ id: z.string(), fileName: z.string(), format: z.string(), alerts: z.number() })),
  events: z.number(),
  alerts: z.number(),
});
export type SampleStatus = z.infer<typeof SampleStatusSchema>;

const LoadResultSchema = z.object({ alreadyLoaded: z.boolean(), message: z.string() });
const RemoveResultSchema = z.object({
  removed: z.object({ uploads: z.number(), events: z.number(), alerts: z.number() }),
});

export const sampleKeys = { status: ["samples", "status"] as const };

async function call<S extends z.ZodType>(url: string, init: RequestInit, schema: S): Promise<z.infer<S>> {
  const response = await fetch(url, { cache: "no-store", ...init });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(message ?? `The server answered ${response.status}.`);
  }
  return schema.parse(body);
}

export function useSampleStatus() {
  return useQuery({
    queryKey: sampleKeys.status,
    queryFn: ({ signal }) => call("/api/samples", { signal }, SampleStatusSchema),
    staleTime: 30_000,
  });
}

/** Loads the ECS sample incident; every cached list and figure is stale afterwards. */
export function useLoadSample() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call(
        "/api/samples/load",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ format: "ecs" }) },
        LoadResultSchema,
      ),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

export function useRemoveSamples() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call("/api/samples", { method: "DELETE" }, RemoveResultSchema),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
