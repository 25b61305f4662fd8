import { z } from "zod";
import { Prisma } from "../generated/prisma/client";
import {
  ALERT_GROUP_BYS,
  ALERT_SORTS,
  type AlertFilter,
  AlertFilterSchema,
  type AlertGroupBy,
  type AlertSort,
  type BulkAlertAction,
  BulkAlertActionSchema,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  optionalText,
  SEVERITIES,
} from "./alert-list-query";
import { alertSource, matchedRowids, SEARCH_LIMITS, type SearchPlan } from "./alert-search";
import type { AlertContext } from "./alerts";
import { prisma } from "./client";
import { dialect } from "./dialect";
import { retryingTransaction } from "./transactions";

export * from "./alert-list-query";
export { escapeLike } from "./alert-search";

// ------------------------------------------------------------------ query schemas

/** Keyset position: the sort key values and id of the last row of the previous page. */
export const AlertCursorSchema = z.object({
  sort: z.enum(ALERT_SORTS),
  /** the row's rank for severity/risk sorts, null for time sorts */
  rank: z.number().int().nullable(),
  timestamp: z.iso.datetime({ offset: true }),
  id: z.string().min(1).max(100),
});
export type AlertCursor = z.infer<typeof AlertCursorSchema>;

export function encodeCursor(cursor: AlertCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** Null for anything that is not a cursor this server wrote. */
export function decodeCursor(text: string): AlertCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = AlertCursorSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export const AlertListQuerySchema = AlertFilterSchema.and(
  z.object({
    sort: z.preprocess((raw) => (raw === "" ? undefined : raw), z.enum(ALERT_SORTS).default("newest")),
    cursor: optionalText(1000),
    limit: z.preprocess(
      (raw) => (raw === "" ? undefined : raw),
      z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
    ),
  }),
).superRefine((query, context) => {
  if (query.cursor === undefined) return;
  const cursor = decodeCursor(query.cursor);
  if (!cursor) {
    context.addIssue({ code: "custom", path: ["cursor"], message: "is not a cursor from this API (use nextCursor)" });
  } else if (cursor.sort !== query.sort) {
    context.addIssue({
      code: "custom",
      path: ["cursor"],
      message: `belongs to sort "${cursor.sort}", not "${query.sort}"`,
    });
  }
});
export type AlertListQuery = z.output<typeof AlertListQuerySchema>;
export type AlertListQueryInput = z.input<typeof AlertListQuerySchema>;

export const AlertGroupQuerySchema = AlertFilterSchema.and(
  z.object({
    by: z.preprocess((raw) => (raw === "" ? undefined : raw), z.enum(ALERT_GROUP_BYS).optional()),
    groupLimit: z.preprocess(
      (raw) => (raw === "" ? undefined : raw),
      z.coerce.number().int().min(1).max(500).default(50),
    ),
  }),
);
export type AlertGroupQuery = z.output<typeof AlertGroupQuerySchema>;

// ------------------------------------------------------------------ result types

export interface AlertListItem extends AlertContext {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: string;
  severityRank: number;
  riskScore: number;
  status: string;
  closingReason: string | null;
  timestamp: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  version: number;
  /** matches folded into this alert by the rule's alert suppression */
  suppressedCount: number;
  assignee: { id: string; displayName: string } | null;
}

export interface AlertPage {
  items: AlertListItem[];
  nextCursor: string | null;
}

export interface AlertGroup {
  /** the value filtered on (rule id, container id, host name); null gathers alerts without one */
  key: string | null;
  label: string;
  count: number;
}

// ------------------------------------------------------------------ SQL pieces

function severityRanks(severities: readonly string[]): number[] {
  return severities.map((severity) => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]) + 1);
}

/**
 * Status and severity conditions. An index on them orders rows by time, which
 * helps only a time sort on one value; otherwise `unindexed` wraps the column
 * in a no-op expression so SQLite's planner walks the sort's own index and
 * filters, instead of sorting every matching row.
 *
 * Not on PostgreSQL: there the expression hides the column's statistics, so
 * the planner expects a handful of matches and reads and sorts all of them
 * (open high and critical alerts by risk, 250,000 alerts: 470 ms; with the
 * plain column it walks the risk index backwards and stops after the page,
 * 2-7 ms; bench/RESULTS.md, 2026-12-06). Its statistics choose well alone.
 */
function hiddenFromIndexes(indexed: boolean): boolean {
  return !indexed && dialect().indexHints;
}

function statusCondition(values: readonly string[], indexed: boolean): Prisma.Sql {
  const column = hiddenFromIndexes(indexed) ? Prisma.raw(`(a."status" || '')`) : Prisma.raw(`a."status"`);
  return values.length === 1
    ? Prisma.sql`${column} = ${values[0]}`
    : Prisma.sql`${column} IN (${Prisma.join([...values])})`;
}

function severityCondition(ranks: readonly number[], indexed: boolean): Prisma.Sql {
  const column = hiddenFromIndexes(indexed) ? Prisma.raw(`(a."severityRank" + 0)`) : Prisma.raw(`a."severityRank"`);
  return ranks.length === 1
    ? Prisma.sql`${column} = ${ranks[0]}`
    : Prisma.sql`${column} IN (${Prisma.join([...ranks])})`;
}

/**
 * Every condition binds its values as parameters. The free text is not here: its
 * conditions come with its plan (lib/db/alert-search).
 */
function otherConditions(filter: AlertFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (filter.rule) conditions.push(Prisma.sql`a."ruleId" = ${filter.rule}`);
  if (filter.container) conditions.push(Prisma.sql`a."containerId" = ${filter.container}`);
  if (filter.host) conditions.push(Prisma.sql`a."hostName" = ${filter.host}`);
  if (filter.upload) conditions.push(Prisma.sql`a."uploadId" = ${filter.upload}`);
  if (filter.from) conditions.push(Prisma.sql`a."timestamp" >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`a."timestamp" <= ${filter.to}`);
  return conditions;
}

/** All conditions, indexes left to the planner: right for counting and grouping. */
function filterConditions(filter: AlertFilter): Prisma.Sql[] {
  const conditions = otherConditions(filter);
  if (filter.status?.length) conditions.push(statusCondition(filter.status, true));
  if (filter.severity?.length) conditions.push(severityCondition(severityRanks(filter.severity), true));
  return conditions;
}

/**
 * The list query as one or more branches whose rows are merged. A time sort
 * over several statuses (or severities) becomes one branch per value, each
 * reading its (value, timestamp) index in order, so a page costs the same at
 * 1M alerts as at 1K. So does a severity sort over chosen severities: within
 * one severity it is a time sort. Other sorts read their own index and filter.
 * `search` holds the free-text conditions, added to every branch.
 */
function listBranches(filter: AlertFilter, sort: AlertSort, search: Prisma.Sql[]): Prisma.Sql[][] {
  const common = [...otherConditions(filter), ...search];
  const ranks = filter.severity?.length ? severityRanks(filter.severity) : [];
  const statuses = filter.status ?? [];
  const timeSort = sort === "newest" || sort === "oldest";
  if (timeSort && statuses.length > 0) {
    const severity = ranks.length ? [severityCondition(ranks, false)] : [];
    return statuses.map((status) => [...common, statusCondition([status], true), ...severity]);
  }
  if ((timeSort || sort === "severity") && ranks.length > 0) {
    const status = statuses.length ? [statusCondition(statuses, false)] : [];
    return ranks.map((rank) => [...common, severityCondition([rank], true), ...status]);
  }
  const narrowing = [
    ...(statuses.length ? [statusCondition(statuses, false)] : []),
    ...(ranks.length ? [severityCondition(ranks, false)] : []),
  ];
  return [[...common, ...narrowing]];
}

/** Conditions for counting and grouping: with many matches the index narrows as one more condition. */
function countConditions(filter: AlertFilter, search: SearchPlan): Prisma.Sql[] {
  const conditions = filterConditions(filter);
  if (search.kind === "none") return conditions;
  conditions.push(...search.conditions);
  if (search.kind === "filter" || search.kind === "member") {
    conditions.push(Prisma.sql`a."rowid" IN (${matchedRowids(search.match)})`);
  }
  return conditions;
}

function whereSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}`;
}

/**
 * Each sort is a total order ending in the id, so a page boundary falls
 * between two rows even when many share a timestamp. The leading columns
 * match the (x, timestamp) indexes in the schema. `table` is the alias the
 * columns are read from: "a." inside a branch, nothing when merging branches.
 */
const ORDER_COLUMNS: Record<AlertSort, [string, "ASC" | "DESC"][]> = {
  newest: [
    ["timestamp", "DESC"],
    ["id", "DESC"],
  ],
  oldest: [
    ["timestamp", "ASC"],
    ["id", "ASC"],
  ],
  severity: [
    ["severityRank", "DESC"],
    ["timestamp", "DESC"],
    ["id", "DESC"],
  ],
  risk: [
    ["riskScore", "DESC"],
    ["timestamp", "DESC"],
    ["id", "DESC"],
  ],
};

function orderBy(sort: AlertSort, table: "a." | ""): Prisma.Sql {
  return Prisma.raw(ORDER_COLUMNS[sort].map(([column, direction]) => `${table}"${column}" ${direction}`).join(", "));
}

/** Rows strictly after the cursor in the sort's order, as one row-value comparison. */
function afterCursor(cursor: AlertCursor): Prisma.Sql {
  const timestamp = new Date(cursor.timestamp);
  switch (cursor.sort) {
    case "newest":
      return Prisma.sql`(a."timestamp", a."id") < (${timestamp}, ${cursor.id})`;
    case "oldest":
      return Prisma.sql`(a."timestamp", a."id") > (${timestamp}, ${cursor.id})`;
    case "severity":
      return Prisma.sql`(a."severityRank", a."timestamp", a."id") < (${cursor.rank ?? 0}, ${timestamp}, ${cursor.id})`;
    case "risk":
      return Prisma.sql`(a."riskScore", a."timestamp", a."id") < (${cursor.rank ?? 0}, ${timestamp}, ${cursor.id})`;
  }
}

function cursorAfter(sort: AlertSort, row: AlertListItem): AlertCursor {
  const rank = sort === "severity" ? row.severityRank : sort === "risk" ? row.riskScore : null;
  return { sort, rank, timestamp: row.timestamp.toISOString(), id: row.id };
}

// ------------------------------------------------------------------ queries

interface AlertRow extends Omit<AlertListItem, "assignee" | "timestamp" | "acknowledgedAt" | "closedAt"> {
  timestamp: Date | string;
  acknowledgedAt: Date | string | null;
  closedAt: Date | string | null;
  assigneeId: string | null;
  assigneeName: string | null;
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function toItem(row: AlertRow): AlertListItem {
  const { assigneeId, assigneeName, ...rest } = row;
  return {
    ...rest,
    severityRank: Number(row.severityRank),
    riskScore: Number(row.riskScore),
    version: Number(row.version),
    suppressedCount: Number(row.suppressedCount ?? 0),
    timestamp: toDate(row.timestamp),
    acknowledgedAt: row.acknowledgedAt === null ? null : toDate(row.acknowledgedAt),
    closedAt: row.closedAt === null ? null : toDate(row.closedAt),
    assignee: assigneeId ? { id: assigneeId, displayName: assigneeName ?? assigneeId } : null,
  };
}

const LIST_COLUMNS = Prisma.raw(`a."id", a."ruleId", a."ruleName", a."severity", a."severityRank", a."riskScore",
  a."status", a."closingReason", a."timestamp", a."acknowledgedAt", a."closedAt", a."version",
  a."containerId", a."containerName", a."imageName", a."hostName", a."processName",
  a."processExecutable", a."commandLine", a."userName", a."suppressedCount",
  a."assigneeId", u."displayName" AS "assigneeName"`);

function branchSql(source: Prisma.Sql, conditions: Prisma.Sql[], sort: AlertSort, rows: number): Prisma.Sql {
  return Prisma.sql`SELECT ${LIST_COLUMNS}
    FROM ${source} LEFT JOIN "User" u ON u."id" = a."assigneeId"
    ${whereSql(conditions)}
    ORDER BY ${orderBy(sort, "a.")}
    LIMIT ${rows}`;
}

/**
 * Under a severity or risk sort, the sort's index is walked and each row tested:
 * fine for a common filter value, slow for a rare one (every alert before the
 * first match is read). A container, host or time range with few alerts leads
 * instead: its own index finds them all and they are sorted. (A rule has its
 * (ruleId, rank, timestamp) indexes, which read the page in order.)
 */
export const FILTER_DRIVE_LIMIT = 4000;

const NARROWING_INDEXES: { index: string; condition: (filter: AlertFilter) => Prisma.Sql | null }[] = [
  {
    index: "Alert_containerId_timestamp_idx",
    condition: (filter) => (filter.container ? Prisma.sql`a."containerId" = ${filter.container}` : null),
  },
  {
    index: "Alert_hostName_timestamp_idx",
    condition: (filter) => (filter.host ? Prisma.sql`a."hostName" = ${filter.host}` : null),
  },
  {
    index: "Alert_uploadId_timestamp_idx",
    condition: (filter) => (filter.upload ? Prisma.sql`a."uploadId" = ${filter.upload}` : null),
  },
  {
    index: "Alert_timestamp_idx",
    condition: (filter) => {
      const range = [
        ...(filter.from ? [Prisma.sql`a."timestamp" >= ${filter.from}`] : []),
        ...(filter.to ? [Prisma.sql`a."timestamp" <= ${filter.to}`] : []),
      ];
      return range.length ? Prisma.join(range, " AND ") : null;
    },
  },
];

/** The index of the filter with the fewest alerts, when that is at most FILTER_DRIVE_LIMIT. */
async function narrowingIndex(filter: AlertFilter, sort: AlertSort): Promise<string | null> {
  if (sort === "newest" || sort === "oldest" || filter.rule) return null;
  let best: { index: string; rows: number } | null = null;
  for (const { index, condition } of NARROWING_INDEXES) {
    const where = condition(filter);
    if (where === null) continue;
    const counted = await prisma().$queryRaw<{ count: bigint | number }[]>`
      SELECT COUNT(*) AS "count" FROM (
        SELECT 1 FROM "Alert" a INDEXED BY ${Prisma.raw(`"${index}"`)} WHERE ${where} LIMIT ${FILTER_DRIVE_LIMIT + 1})`;
    const rows = Number(counted[0]?.count ?? 0);
    if (rows <= FILTER_DRIVE_LIMIT && (best === null || rows < best.rows)) best = { index, rows };
  }
  return best?.index ?? null;
}

/** What leads a list query: the search index when its matches are few, else a small filter's index, else the planner. */
export interface ListPlan {
  search: SearchPlan;
  narrowingIndex: string | null;
}

export async function planList(query: AlertListQuery): Promise<ListPlan> {
  const rankSort = query.sort === "severity" || query.sort === "risk";
  const { planAlertSearch, indexHints } = dialect();
  const search = await planAlertSearch(query.q, rankSort ? SEARCH_LIMITS.byRank : SEARCH_LIMITS.byTime);
  const led = search.kind === "drive" || !indexHints;
  return { search, narrowingIndex: led ? null : await narrowingIndex(query, query.sort) };
}

/**
 * The SQL for one page (limit + 1 rows, the extra one tells whether a next page
 * exists). Exported for the tests that check its query plan.
 */
export function listQuerySql(query: AlertListQuery, plan: ListPlan): Prisma.Sql {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
  const rows = (query.limit ?? DEFAULT_LIST_LIMIT) + 1;
  const { search } = plan;
  // `member`: the unary + keeps the planner from fetching every match by rowid (and
  // sorting them); the set is only tested against the rowids of index entries walked.
  const searched =
    search.kind === "none"
      ? []
      : search.kind === "member"
        ? [...search.conditions, Prisma.sql`+a."rowid" IN (${matchedRowids(search.match)})`]
        : search.conditions;
  // When an index leads with few rows, one branch sorts them: the per-value
  // branches would each read all of them again.
  const led = search.kind === "drive" || plan.narrowingIndex !== null;
  const source =
    plan.narrowingIndex !== null && search.kind !== "drive"
      ? Prisma.sql`"Alert" a INDEXED BY ${Prisma.raw(`"${plan.narrowingIndex}"`)}`
      : alertSource(search);
  const branchList = led ? [[...filterConditions(query), ...searched]] : listBranches(query, query.sort, searched);
  const branches = branchList.map((conditions) =>
    branchSql(source, cursor ? [...conditions, afterCursor(cursor)] : conditions, query.sort, rows),
  );
  return branches.length === 1
    ? (branches[0] as Prisma.Sql)
    : Prisma.sql`SELECT * FROM (${Prisma.join(
        branches.map((branch, i) => Prisma.sql`SELECT * FROM (${branch}) AS ${Prisma.raw(`"branch${i}"`)}`),
        " UNION ALL ",
      )}) AS "merged" ORDER BY ${orderBy(query.sort, "")} LIMIT ${rows}`;
}

/** One page of alerts in the requested order; `nextCursor` is null on the last page. */
export async function listAlerts(input: AlertListQueryInput): Promise<AlertPage> {
  const query = AlertListQuerySchema.parse(input);
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  const rows = await prisma().$queryRaw<AlertRow[]>(listQuerySql(query, await planList(query)));
  const items = rows.slice(0, limit).map(toItem);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(cursorAfter(query.sort, last)) : null;
  return { items, nextCursor };
}

/**
 * Every alert the query's filters select, in its sort order, one page at a
 * time through the list's own cursor: for exports, which must not hold the
 * whole result. The plan is made once for all pages; the input's `limit` and
 * `cursor` are ignored. An alert stored while this runs is read only if it
 * sorts after the page being read; none is read twice.
 */
export async function* alertPages(
  input: AlertListQueryInput,
  pageSize = MAX_LIST_LIMIT,
): AsyncGenerator<AlertListItem[], void, undefined> {
  const query = AlertListQuerySchema.parse({ ...input, cursor: undefined, limit: pageSize });
  const plan = await planList(query);
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma().$queryRaw<AlertRow[]>(listQuerySql({ ...query, cursor }, plan));
    const items = rows.slice(0, pageSize).map(toItem);
    const last = items[items.length - 1];
    yield items;
    if (rows.length <= pageSize || !last) return;
    cursor = encodeCursor(cursorAfter(query.sort, last));
  }
}

/**
 * True when the filter is at most a set of statuses: then the all-time counts
 * kept by triggers in "AlertGroupCount" answer totals and groups exactly,
 * reading tens of rows instead of every alert.
 */
function countedByStatus(filter: AlertFilter): boolean {
  return (
    filter.q === undefined &&
    filter.rule === undefined &&
    filter.container === undefined &&
    filter.host === undefined &&
    filter.upload === undefined &&
    filter.from === undefined &&
    filter.to === undefined &&
    !filter.severity?.length
  );
}

function groupCountWhere(dimension: AlertGroupBy, filter: AlertFilter): Prisma.Sql {
  const statuses = filter.status ?? [];
  return statuses.length
    ? Prisma.sql`WHERE c."dimension" = ${dimension} AND c."status" IN (${Prisma.join(statuses)})`
    : Prisma.sql`WHERE c."dimension" = ${dimension}`;
}

/** How many alerts match; counted by the database, never by loading rows. */
export async function countAlerts(input: z.input<typeof AlertFilterSchema> | AlertFilter): Promise<number> {
  const filter = AlertFilterSchema.parse(input);
  if (countedByStatus(filter)) {
    // every alert counts once under its rule
    const rows = await prisma().$queryRaw<{ count: bigint | number | null }[]>`
      SELECT SUM(c."count") AS "count" FROM "AlertGroupCount" c ${groupCountWhere("rule", filter)}`;
    return Number(rows[0]?.count ?? 0);
  }
  const search = await dialect().planAlertSearch(filter.q, SEARCH_LIMITS.counting);
  const rows = await prisma().$queryRaw<{ count: bigint | number }[]>`
    SELECT COUNT(*) AS "count" FROM ${alertSource(search)} ${whereSql(countConditions(filter, search))}`;
  return Number(rows[0]?.count ?? 0);
}

/**
 * Grouping reads only the narrow (key, timestamp) index; labels are looked up
 * for the few groups returned, not carried through a million-row aggregate.
 */
const GROUP_SQL: Record<AlertGroupBy, { key: Prisma.Sql; label: Prisma.Sql; none: string }> = {
  rule: {
    key: Prisma.raw(`a."ruleId"`),
    label: Prisma.raw(`(SELECT r."name" FROM "Rule" r WHERE r."id" = g."key")`),
    none: "(no rule)",
  },
  container: {
    key: Prisma.raw(`a."containerId"`),
    label: Prisma.raw(
      `(SELECT b."containerName" FROM "Alert" b WHERE b."containerId" = g."key" AND b."containerName" IS NOT NULL LIMIT 1)`,
    ),
    none: "(no container)",
  },
  host: { key: Prisma.raw(`a."hostName"`), label: Prisma.raw(`g."key"`), none: "(no host)" },
};

/** The per-group counts, biggest first: from the kept counts when they answer the filter, else from the alerts. */
async function groupCounts(filter: AlertFilter, by: AlertGroupBy, limit: number): Promise<Prisma.Sql> {
  if (countedByStatus(filter)) {
    return Prisma.sql`SELECT CASE WHEN c."hasKey" THEN c."key" END AS "key", SUM(c."count") AS "count"
      FROM "AlertGroupCount" c ${groupCountWhere(by, filter)}
      GROUP BY c."hasKey", c."key"
      HAVING SUM(c."count") > 0
      ORDER BY "count" DESC, "key" ASC
      LIMIT ${limit}`;
  }
  const group = GROUP_SQL[by];
  const search = await dialect().planAlertSearch(filter.q, SEARCH_LIMITS.counting);
  return Prisma.sql`SELECT ${group.key} AS "key", COUNT(*) AS "count"
    FROM ${alertSource(search)} ${whereSql(countConditions(filter, search))}
    GROUP BY ${group.key}
    ORDER BY "count" DESC, "key" ASC
    LIMIT ${limit}`;
}

/** Matching alerts counted per rule, container or host, biggest groups first. */
export async function groupAlerts(
  input: z.input<typeof AlertFilterSchema> | AlertFilter,
  by: AlertGroupBy,
  limit = 50,
): Promise<AlertGroup[]> {
  const filter = AlertFilterSchema.parse(input);
  const group = GROUP_SQL[by];
  const counts = await groupCounts(filter, by, Math.max(1, Math.min(MAX_LIST_LIMIT, Math.trunc(limit))));
  const rows = await prisma().$queryRaw<{ key: string | null; label: string | null; count: bigint | number }[]>`
    SELECT g."key", ${group.label} AS "label", g."count" FROM (${counts}) g
    ORDER BY g."count" DESC, g."key" ASC`;
  return rows.map((row) => ({
    key: row.key,
    label: row.label ?? row.key ?? group.none,
    count: Number(row.count),
  }));
}

// ------------------------------------------------------------------ bulk triage

/** A request the caller can fix: names the field and says what is wrong. */
export class AlertInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "AlertInputError";
  }
}

export interface BulkUpdateResult {
  /** alerts that changed (their version went up by one) */
  updated: string[];
  /** alerts already in the requested state */
  unchanged: string[];
  /** ids that name no alert */
  missing: string[];
}

type AlertState = { id: string; status: string; assigneeId: string | null };

/** What one action changes: which field, its new value, and the update that sets it. */
interface Transition {
  field: "status" | "assignee";
  to: string | null;
  from: (alert: AlertState) => string | null;
  applies: (alert: AlertState) => boolean;
  data: (now: Date) => Prisma.AlertUncheckedUpdateManyInput;
  reason: string | null;
}

function transitionFor(action: BulkAlertAction): Transition {
  const status = (alert: AlertState) => alert.status;
  switch (action.action) {
    case "acknowledge":
      return {
        field: "status",
        to: "acknowledged",
        from: status,
        applies: (alert) => alert.status === "open",
        data: (now) => ({ status: "acknowledged", acknowledgedAt: now }),
        reason: null,
      };
    case "close":
      return {
        field: "status",
        to: "closed",
        from: status,
        applies: (alert) => alert.status !== "closed",
        data: (now) => ({ status: "closed", closingReason: action.closingReason ?? null, closedAt: now }),
        reason: action.closingReason ?? null,
      };
    case "reopen":
      return {
        field: "status",
        to: "open",
        from: status,
        applies: (alert) => alert.status !== "open",
        data: () => ({ status: "open", closingReason: null, closedAt: null, acknowledgedAt: null }),
        reason: null,
      };
    case "assign": {
      const assigneeId = action.assigneeId ?? null;
      return {
        field: "assignee",
        to: assigneeId,
        from: (alert) => alert.assigneeId,
        applies: (alert) => alert.assigneeId !== assigneeId,
        data: () => ({ assigneeId }),
        reason: null,
      };
    }
  }
}

/**
 * Applies one triage action to many alerts in a single transaction: every
 * changed alert gets its version bumped and one AlertChange row, or nothing
 * changes at all. Alerts already in the target state are left untouched.
 */
export async function bulkUpdateAlerts(input: BulkAlertAction, actorId: string | null): Promise<BulkUpdateResult> {
  const parsed = BulkAlertActionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AlertInputError(issue?.path.join(".") || "(body)", issue?.message ?? "invalid");
  }
  const action = parsed.data;
  const ids = [...new Set(action.ids)];
  const transition = transitionFor(action);
  return retryingTransaction(async (tx) => {
    if (action.action === "assign" && action.assigneeId) {
      const user = await tx.user.findUnique({ where: { id: action.assigneeId }, select: { disabled: true } });
      if (!user || user.disabled)
        throw new AlertInputError("assigneeId", `no active user has id "${action.assigneeId}"`);
    }
    const alerts: AlertState[] = await tx.alert.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, assigneeId: true },
    });
    const found = new Set(alerts.map((alert) => alert.id));
    const changing = alerts.filter(transition.applies);
    // Grouped by the previous value so each UPDATE also checks that value is still there.
    const byPrevious = new Map<string | null, string[]>();
    for (const alert of changing) {
      const previous = transition.from(alert);
      byPrevious.set(previous, [...(byPrevious.get(previous) ?? []), alert.id]);
    }
    const now = new Date();
    for (const [previous, group] of byPrevious) {
      const still = transition.field === "status" ? { status: previous ?? "" } : { assigneeId: previous };
      const result = await tx.alert.updateMany({
        where: { id: { in: group }, ...still },
        data: { ...transition.data(now), version: { increment: 1 } },
      });
      if (result.count !== group.length) {
        throw new Error("Some alerts changed while this bulk action ran; nothing was changed. Reload and try again.");
      }
    }
    await tx.alertChange.createMany({
      data: changing.map((alert) => ({
        alertId: alert.id,
        actorId,
        field: transition.field,
        fromValue: transition.from(alert),
        toValue: transition.to,
        reason: transition.reason,
        createdAt: now,
      })),
    });
    const changed = new Set(changing.map((alert) => alert.id));
    return {
      updated: ids.filter((id) => changed.has(id)),
      unchanged: ids.filter((id) => found.has(id) && !changed.has(id)),
      missing: ids.filter((id) => !found.has(id)),
    };
  });
}
