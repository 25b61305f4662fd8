"use client";

import { keepPreviousData, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertSession, SessionProcess } from "@/lib/session/session";

/** Processes per fetched page. */
export const SESSION_PAGE = 200;

// Not under ["alert", id]: a triage change refreshes the alert, not its (unchanged) session.
export const sessionKeys = {
  outline: (alertId: string) => ["alert-session", alertId, "outline"] as const,
  page: (alertId: string, page: number) => ["alert-session", alertId, "page", page] as const,
  search: (alertId: string, q: string) => ["alert-session", alertId, "search", q] as const,
};

export class SessionApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function fetchSession(alertId: string, params: Record<string, string>): Promise<AlertSession> {
  const response = await fetch(`/api/alerts/${encodeURIComponent(alertId)}/session?${new URLSearchParams(params)}`, {
    cache: "no-store",
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new SessionApiError(
      response.status,
      body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    );
  }
  return (await response.json()) as AlertSession;
}

const STALE_MS = 60_000;

/** The session's shape, its alerts and the page of processes around the alert (kept as that page too). */
export function useSessionOutline(alertId: string) {
  const client = useQueryClient();
  return useQuery({
    queryKey: sessionKeys.outline(alertId),
    queryFn: async () => {
      // The page with the alert's own process comes along: the list opens scrolled to it.
      const session = await fetchSession(alertId, { outline: "true", at: "alert", limit: String(SESSION_PAGE) });
      const first = session.rows[0];
      if (first) client.setQueryData(sessionKeys.page(alertId, Math.floor(first.row / SESSION_PAGE)), session.rows);
      return session;
    },
    staleTime: STALE_MS,
    retry: (failures, error) => !(error instanceof SessionApiError && error.status < 500) && failures < 1,
  });
}

/** The details of the rows on these pages, by row; pages still loading are absent. */
export function useSessionPages(alertId: string, pages: number[], enabled: boolean): Map<number, SessionProcess> {
  const results = useQueries({
    queries: pages.map((page) => ({
      queryKey: sessionKeys.page(alertId, page),
      queryFn: async () =>
        (await fetchSession(alertId, { cursor: String(page * SESSION_PAGE), limit: String(SESSION_PAGE) })).rows,
      staleTime: STALE_MS,
      enabled,
    })),
  });
  const byRow = new Map<number, SessionProcess>();
  for (const result of results) for (const process of result.data ?? []) byRow.set(process.row, process);
  return byRow;
}

/** The rows matching a search of the whole session (the server reads every process's arguments). */
export function useSessionSearch(alertId: string, q: string) {
  return useQuery({
    queryKey: sessionKeys.search(alertId, q),
    queryFn: async () => (await fetchSession(alertId, { q, limit: "1" })).matches ?? [],
    enabled: q !== "",
    staleTime: STALE_MS,
    placeholderData: keepPreviousData,
  });
}
