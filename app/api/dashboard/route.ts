import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { DashboardQuerySchema, dashboardFigures } from "@/lib/db/dashboard";

export const dynamic = "force-dynamic";

/** Alert figures for the dashboard: over time by severity, top rules/images/containers, status, response times. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = DashboardQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    return errorResponse(400, "invalid_request", "Invalid query parameter range: use 24h, 7d, 30d or all.", {
      field: "range",
    });
  }
  return NextResponse.json(await dashboardFigures(query.data.range));
});
