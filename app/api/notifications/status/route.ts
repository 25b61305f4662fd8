import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { failingChannels } from "@/lib/notify/status";

export const dynamic = "force-dynamic";

/** Failing channels for the dashboard: names and last errors only, so every analyst may see them. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ failing: await failingChannels() });
});
