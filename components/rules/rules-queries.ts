"use client";

import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { RuleOriginSchema, RuleSchema, SeveritySchema } from "@/lib/rules/schema";

/**
 * Server state of the rules screens: the list (["rules", filter]) and one
 * rule (["rule", id]). Responses are parsed, so a change in the API shows up
 * as an error here rather than as undefined on screen.
 */

export interface RulesFilter {
  q?: string;
  enabled?: "true" | "false";
  severity?: string;
  tag?: string;
  origin?: string;
}

export const rulesKeys = {
  all: ["rules"] as const,
  list: (filter: RulesFilter) => ["rules", filter] as const,
  rule: (id: string) => ["rule", id] as const,
};

/** An API error, with field issues (query issues carry line and column) for the form that sent it. */
export class RulesApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: readonly FieldIssue[],
  ) {
    super(message);
    this.name = "RulesApiError";
  }
}

const FieldIssueSchema = z.object({
  field: z.string(),
  message: z.string(),
  line: z.number().optional(),
  column: z.number().optional(),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(FieldIssueSchema).optional() }),
});

async function call<S extends z.ZodType>(
  url: string,
  schema: S,
  init?: { method: string; body?: unknown; form?: FormData },
): Promise<z.infer<S>> {
  const json = init?.body !== undefined;
  const response = await fetch(url, {
    method: init?.method ?? "GET",
    cache: "no-store",
    headers: json ? { "Content-Type": "application/json" } : undefined,
    body: json ? JSON.stringify(init?.body) : init?.form,
  });
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(payload);
    if (!parsed.success) {
      throw new RulesApiError(`The server answered ${response.status}.`, response.status, "http_error", []);
    }
    const { code, message, details } = parsed.data.error;
    throw new RulesApiError(message, response.status, code, details ?? []);
  }
  return schema.parse(payload);
}

const nullableDate = z.string().nullable();

const RuleListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  severity: SeveritySchema,
  riskScore: z.number(),
  tags: z.array(z.string()),
  tactics: z.array(z.object({ id: z.string(), name: z.string() })),
  origin: RuleOriginSchema,
  builtin: z.boolean(),
  enabled: z.boolean(),
  version: z.number(),
  alerts24h: z.number(),
  alerts7d: z.number(),
  lastAlertAt: nullableDate,
});
export type RuleListItem = z.infer<typeof RuleListItemSchema>;

const RuleListSchema = z.object({ items: z.array(RuleListItemSchema) });

const RuleDetailSchema = z.object({
  rule: RuleSchema,
  builtin: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tactics: z.array(z.object({ id: z.string(), name: z.string() })),
  versions: z.array(
    z.object({ version: z.number(), createdAt: z.string(), createdBy: z.string().nullable(), rule: RuleSchema }),
  ),
  alerts24h: z.number(),
  alerts7d: z.number(),
  lastAlertAt: nullableDate,
});
export type RuleDetail = z.infer<typeof RuleDetailSchema>;

const ImportReportSchema = z.object({
  file: z.string(),
  format: z.string(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  refused: z.number(),
  results: z.array(
    z.object({
      status: z.enum(["created", "updated", "unchanged", "refused"]),
      ruleId: z.string().nullable(),
      name: z.string().nullable(),
      reason: z.string().optional(),
      code: z.string().optional(),
      line: z.number().nullable().optional(),
      column: z.number().nullable().optional(),
    }),
  ),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export function rulesUrl(filter: RulesFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `/api/rules?${query}` : "/api/rules";
}

export function useRules(filter: RulesFilter) {
  return useQuery({
    queryKey: rulesKeys.list(filter),
    queryFn: async () => (await call(rulesUrl(filter), RuleListSchema)).items,
  });
}

export function useRule(id: string) {
  return useQuery({
    queryKey: rulesKeys.rule(id),
    queryFn: () => call(`/api/rules/${encodeURIComponent(id)}`, RuleDetailSchema),
  });
}

const SavedSchema = z.object({ rule: RuleSchema });

function patchRule(id: string, patch: Record<string, unknown>) {
  return call(`/api/rules/${encodeURIComponent(id)}`, SavedSchema, { method: "PATCH", body: patch });
}

type ListSnapshot = [readonly unknown[], RuleListItem[] | undefined][];

/** Sets `enabled` on the rule in every cached list and in its detail; returns what was there for a rollback. */
function setEnabledEverywhere(client: QueryClient, id: string, enabled: boolean) {
  const lists = client.getQueriesData<RuleListItem[]>({ queryKey: rulesKeys.all }) as ListSnapshot;
  for (const [key, items] of lists) {
    if (items)
      client.setQueryData(
        key,
        items.map((item) => (item.id === id ? { ...item, enabled } : item)),
      );
  }
  const detail = client.getQueryData<RuleDetail>(rulesKeys.rule(id));
  if (detail) client.setQueryData(rulesKeys.rule(id), { ...detail, rule: { ...detail.rule, enabled } });
  return { lists, detail };
}

/**
 * Switches a rule on or off at once on screen; if the server refuses, every
 * cached copy goes back to what it was and the error is reported.
 */
export function useToggleRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => patchRule(id, { enabled }),
    onMutate: async ({ id, enabled }) => {
      await Promise.all([
        client.cancelQueries({ queryKey: rulesKeys.all }),
        client.cancelQueries({ queryKey: rulesKeys.rule(id) }),
      ]);
      return setEnabledEverywhere(client, id, enabled);
    },
    onError: (_error, { id }, previous) => {
      if (!previous) return;
      for (const [key, items] of previous.lists) client.setQueryData(key, items);
      client.setQueryData(rulesKeys.rule(id), previous.detail);
    },
    onSettled: (_data, _error, { id }) => {
      void client.invalidateQueries({ queryKey: rulesKeys.all });
      void client.invalidateQueries({ queryKey: rulesKeys.rule(id) });
    },
  });
}

export function useUpdateRule(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) => patchRule(id, patch),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: rulesKeys.all });
      void client.invalidateQueries({ queryKey: rulesKeys.rule(id) });
    },
  });
}

/** Creates a rule (e.g. a customisable copy of a built-in one); resolves to the stored rule. */
export function useCreateRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (rule: Record<string, unknown>) =>
      (await call("/api/rules", SavedSchema, { method: "POST", body: rule })).rule,
    onSuccess: () => void client.invalidateQueries({ queryKey: rulesKeys.all }),
  });
}

const DeletedSchema = z.object({ id: z.string(), alertsDeleted: z.number() });

/** Deletes a custom rule; `force` also deletes its alerts (the server refuses otherwise with 409). */
export function useDeleteRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, force }: { id: string; force: boolean }) =>
      call(`/api/rules/${encodeURIComponent(id)}${force ? "?force=true" : ""}`, DeletedSchema, { method: "DELETE" }),
    onSuccess: (_data, { id }) => {
      client.removeQueries({ queryKey: rulesKeys.rule(id) });
      void client.invalidateQueries({ queryKey: rulesKeys.all });
    },
  });
}

export function useImportRules() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.set("file", file);
      return call("/api/rules/import", ImportReportSchema, { method: "POST", form });
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: rulesKeys.all }),
  });
}

const PreviewResultSchema = z.object({
  scope: z.union([z.object({ uploadId: z.string() }), z.object({ from: z.string(), to: z.string() })]),
  eventsScanned: z.number(),
  matches: z.number(),
  sample: z.array(
    z.object({
      eventIds: z.array(z.number().nullable()),
      events: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});
export type RulePreviewResult = z.infer<typeof PreviewResultSchema>;

export interface RulePreviewInput {
  query: string;
  eventCategoryField: string;
  timestampField: string;
  tiebreakerField?: string | undefined;
  scope: { uploadId: string } | { from: string; to: string };
  limit?: number;
}

/**
 * Runs a (possibly unsaved) query over stored events; nothing is written, so
 * it is a mutation only because each run is an explicit request by the analyst.
 * A bad query comes back as a RulesApiError whose "query" issue has line/column.
 */
export function usePreviewRule() {
  return useMutation({
    mutationFn: ({ scope, tiebreakerField, ...rest }: RulePreviewInput) =>
      call("/api/rules/preview", PreviewResultSchema, {
        method: "POST",
        body: { ...rest, ...(tiebreakerField ? { tiebreakerField } : {}), ...scope },
      }),
  });
}

const UploadOptionsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      fileName: z.string(),
      status: z.string(),
      eventsAccepted: z.number(),
      createdAt: z.string(),
    }),
  ),
});
export type UploadOption = z.infer<typeof UploadOptionsSchema>["items"][number];

/** The latest uploads, to preview a rule over one of them. */
export function useRecentUploads(enabled: boolean) {
  return useQuery({
    queryKey: ["rule-preview-uploads"] as const,
    queryFn: async () => (await call("/api/uploads?limit=50", UploadOptionsSchema)).items,
    enabled,
  });
}
