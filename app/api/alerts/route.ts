import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { AlertListQuerySchema, describeIssues, listAlerts, searchParamsObject } from "@/lib/db/alert-list";

export const dynamic = "force-dynamic";

/** GET /api/alerts?status=&severity=&rule=&container=&host=&q=&from=&to=&sort=&cursor=&limit= → {items, nextCursor} */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = AlertListQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!query.success) {
    const { message, details } = describeIssues(query.error);
    return errorResponse(400, "invalid_request", `Invalid query parameter ${message}`, details);
  }
  return NextResponse.json(await listAlerts(query.data));
});
