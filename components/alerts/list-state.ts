import {
  ALERT_GROUP_BYS,
  ALERT_SORTS,
  ALERT_STATUSES,
  type AlertGroupBy,
  type AlertSort,
  type AlertStatus,
  SEVERITIES,
  type Severity,
} from "@/lib/db/alert-list-query";

/**
 * The alert list's state lives in the URL so a link reproduces the view.
 * Plain functions, no React: the server page reads the same state to render
 * the first page of rows.
 * Unknown or malformed values are dropped here rather than shown as errors:
 * a hand-edited link should still open a working page.
 */

export const TIME_RANGES = { "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000, "30d": 2_592_000_000 } as const;
export type TimeRange = keyof typeof TIME_RANGES;

export interface AlertListFilter {
  status: AlertStatus[];
  severity: Severity[];
  rule?: string;
  container?: string;
  host?: string;
  /** one upload's alerts (a sensor source's stream is an upload) */
  upload?: string;
  q?: string;
  /** a window ending now; wins over from/to */
  range?: TimeRange;
  from?: string;
  to?: string;
  sort: AlertSort;
}

export interface AlertListState {
  filter: AlertListFilter;
  group?: AlertGroupBy;
}

function pick<T extends string>(allowed: readonly T[], values: string[]): T[] {
  const wanted = new Set(values.flatMap((value) => value.split(",")));
  return allowed.filter((value) => wanted.has(value));
}

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function isoTime(value: string | null): string | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

export function readListState(params: URLSearchParams): AlertListState {
  const filter: AlertListFilter = {
    status: pick(ALERT_STATUSES, params.getAll("status")),
    severity: pick(SEVERITIES, params.getAll("severity")),
    sort: oneOf(ALERT_SORTS, params.get("sort")) ?? "newest",
  };
  const optional = {
    rule: text(params.get("rule")),
    container: text(params.get("container")),
    host: text(params.get("host")),
    upload: text(params.get("upload")),
    q: text(params.get("q")),
    range: oneOf(Object.keys(TIME_RANGES) as TimeRange[], params.get("range")),
    from: isoTime(params.get("from")),
    to: isoTime(params.get("to")),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(filter, { [key]: value });
  }
  return { filter, group: oneOf(ALERT_GROUP_BYS, params.get("group")) };
}

/** The page URL's query: defaults left out so plain /alerts stays plain. */
export function writeListState(state: AlertListState): URLSearchParams {
  const { filter } = state;
  const params = new URLSearchParams();
  for (const status of filter.status) params.append("status", status);
  for (const severity of filter.severity) params.append("severity", severity);
  for (const key of ["rule", "container", "host", "upload", "q", "range", "from", "to"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (filter.sort !== "newest") params.set("sort", filter.sort);
  if (state.group) params.set("group", state.group);
  return params;
}

/** The API's query for a filter; a relative range becomes `from`, rounded to the minute. */
export function apiSearchParams(filter: AlertListFilter, now = Date.now()): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status.length) params.set("status", filter.status.join(","));
  if (filter.severity.length) params.set("severity", filter.severity.join(","));
  for (const key of ["rule", "container", "host", "upload", "q"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (filter.range) {
    const from = Math.floor((now - TIME_RANGES[filter.range]) / 60_000) * 60_000;
    params.set("from", new Date(from).toISOString());
  } else {
    if (filter.from) params.set("from", filter.from);
    if (filter.to) params.set("to", filter.to);
  }
  params.set("sort", filter.sort);
  return params;
}

/** True when anything narrows the list (sorting and grouping do not). */
export function hasActiveFilters(filter: AlertListFilter): boolean {
  return (
    filter.status.length > 0 ||
    filter.severity.length > 0 ||
    Boolean(
      filter.rule ||
        filter.container ||
        filter.host ||
        filter.upload ||
        filter.q ||
        filter.range ||
        filter.from ||
        filter.to,
    )
  );
}

export function clearedFilter(filter: AlertListFilter): AlertListFilter {
  return { status: [], severity: [], sort: filter.sort };
}
