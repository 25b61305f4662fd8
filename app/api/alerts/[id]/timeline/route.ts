import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { describeIssues, searchParamsObject } from "@/lib/db/alert-list";
import { alertTimeline, TimelineQuerySchema } from "@/lib/db/timeline";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** GET /api/alerts/:id/timeline?window=&scope=&category=&action=&cursor=: the events around an alert. */
export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = TimelineQuerySchema.safeParse(searchParamsObject(new URL(request.url).searchParams));
  if (!query.success) {
    const { message, details } = describeIssues(query.error);
    return errorResponse(400, "invalid_request", `Invalid query parameter ${message}`, details);
  }
  const { id } = await context.params;
  const result = await alertTimeline(id, query.data);
  if (!result.ok) {
    return errorResponse(
      result.status,
      result.code,
      result.message,
      result.field ? [{ field: result.field, message: result.message }] : undefined,
    );
  }
  return NextResponse.json(result.timeline);
});
