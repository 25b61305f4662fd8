import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { storageSummary } from "@/lib/db/events/storage-summary";

export const dynamic = "force-dynamic";

/** Stored events, disk used and what retention takes next: the dashboard's system panel. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json(await storageSummary());
});
