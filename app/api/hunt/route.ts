import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { recordHuntRun } from "@/lib/db/hunts";
import { HuntRequestSchema } from "@/lib/hunt/request";
import { huntScopeEcho, invalidQueryResponse, readHuntBody } from "@/lib/hunt/respond";
import { runHunt } from "@/lib/hunt/run";

export const dynamic = "force-dynamic";

/**
 * POST /api/hunt: runs an EQL query over stored events in a time range and
 * scope, and answers one page of results with the count and histogram of all
 * of them; with `count: false`, as soon as the page is full (the Hunt page
 * then asks POST /api/hunt/summary for the count). A client that goes away
 * (aborted fetch) stops the scan.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const body = await readHuntBody(request, HuntRequestSchema);
  if (!body.ok) return body.response;
  const { input, range } = body;
  try {
    const outcome = await runHunt(input, {
      range,
      offset: input.offset,
      limit: input.limit,
      count: input.count,
      signal: request.signal,
    });
    if (auth.principal.kind === "user" && input.offset === 0) await rememberRun(auth.principal.id, input);
    return NextResponse.json({ scope: huntScopeEcho(input, range), ...outcome });
  } catch (error) {
    const invalid = invalidQueryResponse(error);
    if (invalid) return invalid;
    throw error;
  }
});

/** History is a convenience: a database that cannot take the write (read-only) must not fail the hunt. */
async function rememberRun(
  userId: string,
  input: { query: string; containerId?: string; hostName?: string; uploadId?: string },
) {
  const { query, containerId, hostName, uploadId } = input;
  try {
    await recordHuntRun(userId, query, {
      ...(containerId ? { containerId } : {}),
      ...(hostName ? { hostName } : {}),
      ...(uploadId ? { uploadId } : {}),
    });
  } catch (error) {
    console.error(`[keelwatch] hunt history not recorded: ${(error as Error).message}`);
  }
}
