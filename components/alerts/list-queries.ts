"use client";

import {
  type InfiniteData,
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { z } from "zod";
import type { AlertGroupBy, BulkAlertAction } from "@/lib/db/alert-list-query";
import { type AlertListFilter, apiSearchParams } from "./list-url";

// ------------------------------------------------------------------ response shapes

const AlertListItemSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  severity: z.string(),
  severityRank: z.number(),
  riskScore: z.number(),
  status: z.string(),
  closingReason: z.string().nullable(),
  timestamp: z.string(),
  acknowledgedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number(),
  containerId: z.string().nullable(),
  containerName: z.string().nullable(),
  imageName: z.string().nullable(),
  hostName: z.string().nullable(),
  processName: z.string().nullable(),
  processExecutable: z.string().nullable(),
  commandLine: z.string().nullable(),
  userName: z.string().nullable(),
  assignee: z.object({ id: z.string(), displayName: z.string() }).nullable(),
});
export type AlertRow = z.infer<typeof AlertListItemSchema>;

const AlertPageSchema = z.object({ items: z.array(AlertListItemSchema), nextCursor: z.string().nullable() });
export type AlertPage = z.infer<typeof AlertPageSchema>;

const AlertCountsSchema = z.object({
  total: z.number(),
  by: z.string().nullable(),
  groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), count: z.number() })),
});
export type AlertCounts = z.infer<typeof AlertCountsSchema>;

const BulkResultSchema = z.object({
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  missing: z.array(z.string()),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;

const PrincipalSchema = z.object({
  principal: z.object({ kind: z.string(), id: z.string(), displayName: z.string().optional(), role: z.string() }),
});

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

// ------------------------------------------------------------------ keys

/** Query keys as data: invalidating ["alerts"] refreshes every list, count and alert. */
export const alertKeys = {
  all: ["alerts"] as const,
  lists: () => ["alerts", "list"] as const,
  list: (filter: AlertListFilter, pageSize: number) => ["alerts", "list", filter, pageSize] as const,
  counts: (filter: AlertListFilter, by: AlertGroupBy | null) => ["alerts", "counts", filter, by] as const,
  ruleOptions: () => ["alerts", "rule-options"] as const,
  me: ["auth", "me"] as const,
};

// ------------------------------------------------------------------ hooks

export const PAGE_SIZE = 100;

/** The list, one cursor page at a time; "Load more" calls fetchNextPage. */
export function useAlertList(filter: AlertListFilter, pageSize = PAGE_SIZE) {
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

/** Rules that have raised alerts, for the rule filter. */
export function useRuleOptions() {
  return useQuery({
    queryKey: alertKeys.ruleOptions(),
    queryFn: ({ signal }) => requestJson("/api/alerts/groups?by=rule&groupLimit=500", AlertCountsSchema, { signal }),
    select: (counts) =>
      counts.groups.flatMap((group) => (group.key ? [{ id: group.key, name: group.label, count: group.count }] : [])),
    staleTime: 60_000,
  });
}

export function useCurrentPrincipal() {
  return useQuery({
    queryKey: alertKeys.me,
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
