"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";

/** The Hunt page's server calls: run (cancellable), saved hunts and history. */

export interface HuntScopeInput {
  containerId?: string;
  hostName?: string;
  uploadId?: string;
}

export interface HuntInput extends HuntScopeInput {
  query: string;
  from: string;
  to: string;
  offset: number;
  limit: number;
}

export interface HuntRow {
  kind: "event" | "sequence" | "sample";
  timestamp: string | null;
  joinKeys?: unknown[];
  events: { id: number | null; event: Record<string, unknown> | null }[];
}

/** Every result counted (POST /api/hunt/summary, or a page whose scan read the whole range). */
export interface HuntCount {
  kind: "event" | "sequence" | "sample";
  eventsScanned: number;
  matches: number;
  elapsedMs: number;
  bucketMs: number;
  histogram: { start: string; count: number }[];
  stopped: { reason: string; message: string } | null;
  unreadable: number;
}

export interface HuntAnswer extends HuntCount {
  scope: { from: string; to: string };
  /** false: the page came alone (matches counts those found so far, histogram is empty); ask for the count. */
  counted: boolean;
  rows: HuntRow[];
  nextOffset: number | null;
}

export interface SavedHunt {
  id: string;
  name: string;
  query: string;
  scope: HuntScopeInput;
  updatedAt: string;
}

export interface HistoryEntry {
  query: string;
  scope: HuntScopeInput;
  ranAt: string;
}

export class HuntApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: { field: string; line?: number; column?: number; message: string }[],
  ) {
    super(message);
  }
}

async function call<T>(url: string, init?: { method: string; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const response = await fetch(url, {
    method: init?.method ?? "GET",
    cache: "no-store",
    headers: init?.body === undefined ? undefined : { "Content-Type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init?.signal ?? null,
  });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => null)) as
    | (T & { error?: undefined })
    | { error?: { message?: string; details?: HuntApiError["details"] } }
    | null;
  if (!response.ok) {
    const error = payload && "error" in payload ? payload.error : undefined;
    throw new HuntApiError(
      error?.message ?? `The server answered ${response.status}.`,
      response.status,
      error?.details ?? [],
    );
  }
  return payload as T;
}

const huntKeys = { saved: ["hunt", "saved"] as const, history: ["hunt", "history"] as const };

const huntBody = (input: object) =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== "" && value !== undefined));

/**
 * Runs hunts a page at a time: the page is asked for alone (count: false), so
 * it shows as soon as the server has it. `cancel()` aborts the request, which
 * stops the server's scan.
 */
export function useRunHunt() {
  const client = useQueryClient();
  const controller = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: async (input: HuntInput) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      return call<HuntAnswer>("/api/hunt", {
        method: "POST",
        body: { ...huntBody(input), count: false },
        signal: current.signal,
      });
    },
    onSettled: () => void client.invalidateQueries({ queryKey: huntKeys.history }),
  });
  return { ...mutation, cancel: () => controller.current?.abort() };
}

/** Counts every result of a hunt and draws its histogram, after its first page has come. */
export function useCountHunt() {
  const controller = useRef<AbortController | null>(null);
  const mutation = useMutation({
    mutationFn: async (input: Omit<HuntInput, "offset" | "limit">) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      return call<HuntCount>("/api/hunt/summary", { method: "POST", body: huntBody(input), signal: current.signal });
    },
  });
  return { ...mutation, cancel: () => controller.current?.abort() };
}

export function useSavedHunts() {
  return useQuery({
    queryKey: huntKeys.saved,
    queryFn: async () => (await call<{ items: SavedHunt[] }>("/api/hunt/saved")).items,
  });
}

export function useHuntHistory() {
  return useQuery({
    queryKey: huntKeys.history,
    queryFn: async () => (await call<{ items: HistoryEntry[] }>("/api/hunt/history")).items,
  });
}

export function useSaveHunt() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; query: string; scope: HuntScopeInput }) =>
      call<{ item: SavedHunt }>("/api/hunt/saved", { method: "POST", body: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: huntKeys.saved }),
  });
}

export function useDeleteSavedHunt() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call<void>(`/api/hunt/saved/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => void client.invalidateQueries({ queryKey: huntKeys.saved }),
  });
}

/** The export link of a hunt: the same query, range and scope, every result. */
export function huntExportHref(input: Omit<HuntInput, "offset" | "limit">, format: "csv" | "ndjson"): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) if (value) params.set(key, value);
  params.set("format", format);
  return `/api/hunt/export?${params}`;
}
