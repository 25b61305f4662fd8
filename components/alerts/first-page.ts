/**
 * Server side of the alerts page: the first page of rows for the URL's
 * filters, read before any JavaScript runs so the rows arrive in the HTML
 * and paint with it instead of after hydration and a second request.
 *
 * The list comes from the same validation and query as GET /api/alerts and
 * is turned into the same JSON shape, so the client's cache entry cannot tell
 * it apart from one it fetched itself. Imports the database: server only.
 */
import type { Principal } from "@/lib/auth/principal";
import { can } from "@/lib/auth/roles";
import { AlertListQuerySchema, listAlerts, searchParamsObject } from "@/lib/db/alert-list";
import { AlertPageSchema, type AlertsPageSeed, PAGE_SIZE, type PrincipalBody } from "./list-data";
import { apiSearchParams, readListState } from "./list-state";

/** A Next page's `searchParams`. */
export type PageSearchParams = Record<string, string | string[] | undefined>;

export function toUrlSearchParams(params: PageSearchParams): URLSearchParams {
  const result = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) result.append(key, one);
  }
  return result;
}

/**
 * The list's first page for `params` as `user` may see it, or null when the
 * client should ask itself: no permission, a filter the API would refuse (the
 * client's request then shows the API's own message), or a database error
 * (logged here; the client shows its error state with "Try again").
 */
export async function loadAlertsPageSeed(params: URLSearchParams, user: Principal): Promise<AlertsPageSeed> {
  // Same permission as GET /api/alerts and GET /api/auth/me.
  if (!can(user.role, "alerts:read")) return { list: null, principal: null };
  const principal: PrincipalBody = {
    principal: {
      kind: user.kind,
      id: user.id,
      ...(user.kind === "user" ? { displayName: user.displayName } : {}),
      role: user.role,
    },
  };
  const { filter } = readListState(params);
  const query = apiSearchParams(filter);
  query.set("limit", String(PAGE_SIZE));
  const parsed = AlertListQuerySchema.safeParse(searchParamsObject(query));
  if (!parsed.success) return { list: null, principal };
  try {
    const fetchedAt = Date.now();
    const rows = await listAlerts(parsed.data);
    // Exactly what the API's JSON body carries (dates as ISO strings), checked by the client's own schema.
    const page = AlertPageSchema.parse(JSON.parse(JSON.stringify(rows)));
    return { list: { filter, page, fetchedAt }, principal };
  } catch (error) {
    console.error("alerts page: reading the first page of alerts on the server failed", error);
    return { list: null, principal };
  }
}
