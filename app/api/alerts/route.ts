import { NextResponse } from "next/server";
import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { AlertListQuerySchema, listAlerts } from "@/lib/db/alert-list";

export const dynamic = "force-dynamic";

/** GET /api/alerts?status=&severity=&rule=&container=&host=&q=&from=&to=&sort=&cursor=&limit= → {items, nextCursor} */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = readQueryParams(request, AlertListQuerySchema);
  if (!query.ok) return query.response;
  return NextResponse.json(await listAlerts(query.data));
});
