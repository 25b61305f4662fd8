import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { guard } from "@/lib/auth/guard";
import { recordHuntRun } from "@/lib/db/hunts";
import { HuntRequestSchema, huntRange } from "@/lib/hunt/request";
import { invalidQueryResponse } from "@/lib/hunt/respond";
import { runHunt } from "@/lib/hunt/run";

export const dynamic = "force-dynamic";

/**
 * POST /api/hunt: runs an EQL query over stored events in a time range and
 * scope, and answers one page of results with the count and histogram of all
 * of them. A client that goes away (aborted fetch) stops the scan.
 */
export async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, HuntRequestSchema, 256 * 1024);
  if (!body.ok) return body.response;
  const input = body.data;
  const range = huntRange(input);
  if (typeof range === "string") {
    return errorResponse(400, "invalid_request", `Invalid request: from: ${range}`, [
      { field: "from", message: range },
    ]);
  }
  try {
    const outcome = await runHunt(input, { range, offset: input.offset, limit: input.limit, signal: request.signal });
    if (auth.principal.kind === "user" && input.offset === 0) await rememberRun(auth.principal.id, input);
    return NextResponse.json({
      scope: {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        containerId: input.containerId ?? null,
        hostName: input.hostName ?? null,
        uploadId: input.uploadId ?? null,
      },
      ...outcome,
    });
  } catch (error) {
    const invalid = invalidQueryResponse(error);
    if (invalid) return invalid;
    throw error;
  }
}

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
