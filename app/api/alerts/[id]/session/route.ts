import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { readQueryParams } from "@/lib/app/query-params";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { SessionQuerySchema } from "@/lib/session/schema";
import { getAlertSession } from "@/lib/session/session";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** GET /api/alerts/:id/session?cursor=&limit=&outline=&q= → the alert's session, a page of processes at a time */
export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const query = readQueryParams(request, SessionQuerySchema);
  if (!query.ok) return query.response;
  const session = await getAlertSession(id, query.data);
  if (!session) return errorResponse(404, "not_found", `No alert with id "${id}".`);
  return NextResponse.json(session);
});
