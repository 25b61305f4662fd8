/**
 * What the alert list's API answers look like, and the react-query keys they
 * are cached under. No React here: the server page fills the same cache
 * entries (same key, same shape) so the first rows arrive with the HTML.
 */
import { z } from "zod";
import type { AlertGroupBy } from "@/lib/db/alert-list-query";
import type { AlertListFilter } from "./list-state";

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
  /** matches folded into this alert by suppression (absent from older servers: 0) */
  suppressedCount: z.number().default(0),
  assignee: z.object({ id: z.string(), displayName: z.string() }).nullable(),
});
export type AlertRow = z.infer<typeof AlertListItemSchema>;

export const AlertPageSchema = z.object({ items: z.array(AlertListItemSchema), nextCursor: z.string().nullable() });
export type AlertPage = z.infer<typeof AlertPageSchema>;

export const AlertCountsSchema = z.object({
  total: z.number(),
  by: z.string().nullable(),
  groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), count: z.number() })),
});
export type AlertCounts = z.infer<typeof AlertCountsSchema>;

export const BulkResultSchema = z.object({
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  missing: z.array(z.string()),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;

export const PrincipalSchema = z.object({
  principal: z.object({ kind: z.string(), id: z.string(), displayName: z.string().optional(), role: z.string() }),
});
/** GET /api/auth/me's body. */
export type PrincipalBody = z.infer<typeof PrincipalSchema>;

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

/** Rows per list request; part of the list's query key. */
export const PAGE_SIZE = 100;

// ------------------------------------------------------------------ server seeds

/** What the server already knows when the page starts: seeds for the client's queries. */
export interface InitialAlertList {
  /** the filter the rows were read for (the client uses them only while its URL says the same) */
  filter: AlertListFilter;
  page: AlertPage;
  /** server clock, ms: how fresh the rows are, for react-query's staleness */
  fetchedAt: number;
}

export interface AlertsPageSeed {
  list: InitialAlertList | null;
  principal: PrincipalBody | null;
}
