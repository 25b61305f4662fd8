import { NextResponse } from "next/server";
import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { AlertGroupQuerySchema, countAlerts, groupAlerts } from "@/lib/db/alert-list";

export const dynamic = "force-dynamic";

/**
 * GET /api/alerts/groups?by=rule|container|host&groupLimit=&<alert filters>
 * → {total, by, groups: [{key, label, count}]}. Without `by`, only the total.
 */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = readQueryParams(request, AlertGroupQuerySchema);
  if (!query.ok) return query.response;
  const { by, groupLimit, ...filter } = query.data;
  const [total, groups] = await Promise.all([
    countAlerts(filter),
    by ? groupAlerts(filter, by, groupLimit) : Promise.resolve([]),
  ]);
  return NextResponse.json({ total, by: by ?? null, groups });
});
