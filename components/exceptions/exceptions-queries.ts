"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ExceptionItemInput, ExceptionItemPatch } from "@/lib/exceptions/schema";

/**
 * Server state of the exceptions screens. The wire shapes are the server's own
 * views from lib/db/exceptions.ts (JSON-ready: times as ISO text), imported as
 * types only, so none of that module's database code reaches the browser.
 */

import type {
  AlertSample,
  EventSample,
  ExceptionItemView,
  ExceptionListView,
  ExceptionPreview,
  PersonRef,
  ValueListView,
} from "@/lib/db/exceptions";

export type {
  AlertSample,
  EventSample,
  ExceptionItemView,
  ExceptionListView,
  ExceptionPreview,
  PersonRef,
  ValueListView,
};

export interface RuleOption {
  id: string;
  name: string;
}

export interface ExceptionFilter {
  rule?: string;
  list?: string;
  expired?: "true" | "false";
}

export const exceptionKeys = {
  all: ["exceptions"] as const,
  items: (filter: ExceptionFilter) => ["exceptions", filter] as const,
  lists: ["exception-lists"] as const,
  valueLists: ["value-lists"] as const,
  rules: ["exceptions", "rule-options"] as const,
  alert: (id: string) => ["exceptions", "from-alert", id] as const,
};

/** An API error with field messages keyed by path ("groups.0.1.value"), for the form that sent it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ErrorBody {
  error?: { message?: string; details?: { field?: string; message?: string }[] };
}

async function call<T>(url: string, init: { method?: string; body?: unknown; text?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.text !== undefined) {
    headers["content-type"] = "text/plain; charset=utf-8";
    body = init.text;
  } else if (init.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.body);
  }
  const method = init.method ?? "GET";
  const response = await fetch(url, { method, cache: "no-store", headers, body });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (payload as ErrorBody | null)?.error;
    const fieldErrors: Record<string, string> = {};
    for (const detail of error?.details ?? []) {
      if (detail.field && detail.message) fieldErrors[detail.field] ??= detail.message;
    }
    throw new ApiError(
      error?.message ?? `${method} ${url} failed: the server answered ${response.status}.`,
      response.status,
      fieldErrors,
    );
  }
  return payload as T;
}

function filterQuery(filter: ExceptionFilter): string {
  const params = new URLSearchParams();
  if (filter.rule) params.set("rule", filter.rule);
  if (filter.list) params.set("list", filter.list);
  if (filter.expired) params.set("expired", filter.expired);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function useExceptions(filter: ExceptionFilter) {
  return useQuery({
    queryKey: exceptionKeys.items(filter),
    queryFn: async () => (await call<{ items: ExceptionItemView[] }>(`/api/exceptions${filterQuery(filter)}`)).items,
  });
}

export function useExceptionLists() {
  return useQuery({
    queryKey: exceptionKeys.lists,
    queryFn: async () => (await call<{ lists: ExceptionListView[] }>("/api/exception-lists")).lists,
  });
}

export function useValueLists() {
  return useQuery({
    queryKey: exceptionKeys.valueLists,
    queryFn: async () => (await call<{ lists: ValueListView[] }>("/api/value-lists")).lists,
  });
}

export function useRuleOptions() {
  return useQuery({
    queryKey: exceptionKeys.rules,
    queryFn: async () => {
      const { items } = await call<{ items: RuleOption[] }>("/api/rules");
      return items.map((rule) => ({ id: rule.id, name: rule.name }));
    },
    staleTime: 60_000,
  });
}

/** The parts of GET /api/alerts/:id the "add exception from alert" form needs. */
export interface AlertForPrefill {
  id: string;
  ruleName: string;
  rule: { id: string; name: string };
  events: { id: number; document: Record<string, unknown> }[];
}

export function useAlertForPrefill(alertId: string | null) {
  return useQuery({
    queryKey: exceptionKeys.alert(alertId ?? ""),
    queryFn: () => call<AlertForPrefill>(`/api/alerts/${encodeURIComponent(alertId ?? "")}`),
    enabled: alertId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function useInvalidateAll() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: exceptionKeys.all }),
      client.invalidateQueries({ queryKey: exceptionKeys.lists }),
      // Closing alerts changes the alert screens too.
      client.invalidateQueries({ queryKey: ["alerts"] }),
    ]);
}

export function useCreateException() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: ExceptionItemInput & { closeMatching?: boolean }) =>
      call<{ item: ExceptionItemView; closedAlerts: number }>("/api/exceptions", { method: "POST", body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateException() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: ExceptionItemPatch & { closeMatching?: boolean } }) =>
      call<{ item: ExceptionItemView; closedAlerts: number }>(`/api/exceptions/${encodeURIComponent(id)}`, {
        method: "PATCH",
        body: patch,
      }),
    onSuccess: invalidate,
  });
}

export function useDeleteException() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (id: string) => call<void>(`/api/exceptions/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}

export function usePreviewException() {
  return useMutation({
    mutationFn: (input: Pick<ExceptionItemInput, "scope" | "groups"> & { days: number }) =>
      call<ExceptionPreview>("/api/exceptions/preview", { method: "POST", body: input }),
  });
}

export function useCreateExceptionList() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: { name: string; description?: string; ruleIds: string[] }) =>
      call<{ list: ExceptionListView }>("/api/exception-lists", { method: "POST", body: input }),
    onSuccess: invalidate,
  });
}

export function useDeleteExceptionList() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (id: string) => call<void>(`/api/exception-lists/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}

export function useUploadValueList() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, text }: { name: string; text: string }) =>
      call<{ list: ValueListView }>(`/api/value-lists?name=${encodeURIComponent(name)}`, { method: "POST", text }),
    onSuccess: () => client.invalidateQueries({ queryKey: exceptionKeys.valueLists }),
  });
}

export function useImportExceptions() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (text: string) =>
      call<{
        listsCreated: number;
        listsUpdated: number;
        itemsCreated: number;
        itemsUnchanged: number;
        errors: { line: number; message: string }[];
      }>("/api/exceptions/import", { method: "POST", text }),
    onSuccess: invalidate,
  });
}
