import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { HuntScopeSchema } from "@/lib/hunt/request";
import { huntScopeEcho, invalidQueryResponse, readHuntBody } from "@/lib/hunt/respond";
import { countHunt } from "@/lib/hunt/run";

export const dynamic = "force-dynamic";

/**
 * POST /api/hunt/summary: every result of a hunt counted and placed on the
 * histogram, none returned: what the Hunt page asks for after a page answered
 * with `count: false`. The same limits and cancellation as the hunt.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const body = await readHuntBody(request, HuntScopeSchema);
  if (!body.ok) return body.response;
  const { input, range } = body;
  try {
    const summary = await countHunt(input, { range, signal: request.signal });
    return NextResponse.json({ scope: huntScopeEcho(input, range), ...summary });
  } catch (error) {
    const invalid = invalidQueryResponse(error);
    if (invalid) return invalid;
    throw error;
  }
});
