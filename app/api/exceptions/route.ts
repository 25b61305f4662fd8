import { NextResponse } from "next/server";
import { ExceptionCreateSchema, ExceptionFilterSchema } from "@/lib/api/route-schemas";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { actorIdOf } from "@/lib/db/alert-updates";
import { closeMatchingAlerts, createExceptionItem, listExceptionItems } from "@/lib/db/exceptions";
import { exceptionActor, parseQuery, withStoreErrors } from "./respond";

export const dynamic = "force-dynamic";

/** GET /api/exceptions?rule=&list=&expired=true|false → {items: ExceptionItemView[]} */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  const query = parseQuery(request, ExceptionFilterSchema);
  if (!query.ok) return query.response;
  const { rule, list, expired } = query.data;
  const items = await listExceptionItems({
    ...(rule ? { ruleId: rule } : {}),
    ...(list ? { listId: list } : {}),
    ...(expired ? { expired: expired === "true" } : {}),
  });
  return NextResponse.json({ items });
});

/** POST /api/exceptions → 201 {item, closedAlerts}; `closeMatching: true` also closes the open alerts it covers. */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, ExceptionCreateSchema, 256 * 1024);
  if (!body.ok) return body.response;
  const { closeMatching, ...input } = body.data;
  const actor = exceptionActor(auth);
  return withStoreErrors(async () => {
    const item = await createExceptionItem(input, actor);
    const closed = closeMatching
      ? await closeMatchingAlerts(item.id, actorIdOf(auth.principal), { label: actor.label, ip: actor.ip ?? null })
      : { closed: 0, alertIds: [] };
    return NextResponse.json({ item, closedAlerts: closed.closed }, { status: 201 });
  });
});
