"use client";

import {
  hashKey,
  type InfiniteData,
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import type { z } from "zod";
import type { AlertGroupBy, BulkAlertAction } from "@/lib/db/alert-list-query";
import {
  AlertCountsSchema,
  type AlertPage,
  AlertPageSchema,
  type AlertRow,
  alertKeys,
  BulkResultSchema,
  type InitialAlertList,
  PAGE_SIZE,
  type PrincipalBody,
  PrincipalSchema,
} from "./list-data";
import { type AlertListFilter, apiSearchParams } from "./list-state";

export type { AlertCounts, AlertPage, AlertRow, BulkResult } from "./list-data";

// ------------------------------------------------------------------ fetching

/** A failed request, carrying the server's own message for the person reading it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function requestJson<S extends z.ZodType>(url: string, schema: S, init?: RequestInit): Promise<z.infer<S>> {
  const response = await fetch(url, { cache: "no-store", ...init });
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "http_error",
      error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    );
  }
  return schema.parse(payload);
}

// ------------------------------------------------------------------ hooks

/** The list, one cursor page at a time; "Load more" calls fetchNextPage. */
export function useAlertList(filter: AlertListFilter, seed: InitialAlertList | null = null, pageSize = PAGE_SIZE) {
  // The server's rows stand in for the first request only while they are for this very filter;
  // react-query ignores initialData once the cache holds the key (a reload, a later visit).
  const initial =
    seed && pageSize === PAGE_SIZE && hashKey([seed.filter]) === hashKey([filter])
      ? { pages: [seed.page], pageParams: [null] }
      : undefined;
  return useInfiniteQuery({
    queryKey: alertKeys.list(filter, pageSize),
    queryFn: ({ pageParam, signal }) => {
      const params = apiSearchParams(filter);
      params.set("limit", String(pageSize));
      if (pageParam) params.set("cursor", pageParam);
      return requestJson(`/api/alerts?${params}`, AlertPageSchema, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    initialData: initial,
    initialDataUpdatedAt: initial ? seed?.fetchedAt : undefined,
  });
}

/** How many alerts match, and (when grouping) how many per rule, container or host. */
export function useAlertCounts(filter: AlertListFilter, by: AlertGroupBy | null) {
  return useQuery({
    queryKey: alertKeys.counts(filter, by),
    queryFn: ({ signal }) => {
      const params = apiSearchParams(filter);
      params.delete("sort");
      if (by) params.set("by", by);
      return requestJson(`/api/alerts/groups?${params}`, AlertCountsSchema, { signal });
    },
    placeholderData: keepPreviousData,
  });
}

/** Rules that have raised alerts, for the rule filter; `enabled: false` waits. */
export function useRuleOptions(enabled = true) {
  return useQuery({
    enabled,
    queryKey: alertKeys.ruleOptions(),
    queryFn: ({ signal }) => requestJson("/api/alerts/groups?by=rule&groupLimit=500", AlertCountsSchema, { signal }),
    select: (counts) =>
      counts.groups.flatMap((group) => (group.key ? [{ id: group.key, name: group.label, count: group.count }] : [])),
    staleTime: 60_000,
  });
}

/** `seed`: who the server page already knows is signed in, so the first render needs no request. */
export function useCurrentPrincipal(seed: PrincipalBody | null = null) {
  return useQuery({
    queryKey: alertKeys.me,
    initialData: seed ?? undefined,
    queryFn: ({ signal }) => requestJson("/api/auth/me", PrincipalSchema, { signal }),
    select: (body) => body.principal,
    staleTime: 5 * 60_000,
  });
}

// ------------------------------------------------------------------ bulk triage

export type BulkActionRequest = BulkAlertAction & {
  /** shown in the assignee column until the server answers */
  assigneeName?: string;
};

type ListData = InfiniteData<AlertPage, string | null>;

/** The row as it will look once the server has applied the action. */
export function applyBulkAction(row: AlertRow, action: BulkActionRequest): AlertRow {
  switch (action.action) {
    case "acknowledge":
      return row.status === "open" ? { ...row, status: "acknowledged" } : row;
    case "close":
      return row.status === "closed" ? row : { ...row, status: "closed", closingReason: action.closingReason ?? null };
    case "reopen":
      return { ...row, status: "open", closingReason: null };
    case "assign":
      return {
        ...row,
        assignee: action.assigneeId ? { id: action.assigneeId, displayName: action.assigneeName ?? "…" } : null,
      };
  }
}

function patchLists(client: QueryClient, action: BulkActionRequest): void {
  const ids = new Set(action.ids);
  client.setQueriesData<ListData>({ queryKey: alertKeys.lists() }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((row) => (ids.has(row.id) ? applyBulkAction(row, action) : row)),
          })),
        }
      : data,
  );
}

/**
 * One action on many alerts. Rows change at once (optimistic), go back if the
 * server refuses, and every alert query is refreshed afterwards either way.
 */
export function useBulkAlertAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ assigneeName: _shownOnly, ...action }: BulkActionRequest) =>
      requestJson("/api/alerts/bulk", BulkResultSchema, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(action),
      }),
    onMutate: async (action) => {
      await client.cancelQueries({ queryKey: alertKeys.lists() });
      const snapshot = client.getQueriesData<ListData>({ queryKey: alertKeys.lists() });
      patchLists(client, action);
      return { snapshot };
    },
    onError: (_error, _action, context) => {
      for (const [key, data] of context?.snapshot ?? []) client.setQueryData(key, data);
    },
    onSettled: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
