import { NextResponse } from "next/server";
import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { alertTimeline, TimelineQuerySchema } from "@/lib/db/timeline";
import { timelineRefusalResponse } from "./refusal";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** GET /api/alerts/:id/timeline?window=&scope=&category=&action=&cursor=: the events around an alert. */
export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const query = readQueryParams(request, TimelineQuerySchema);
  if (!query.ok) return query.response;
  const { id } = await context.params;
  const result = await alertTimeline(id, query.data);
  if (!result.ok) return timelineRefusalResponse(result);
  return NextResponse.json(result.timeline);
});
