import { NextResponse } from "next/server";
import { KEELWATCH_VERSION } from "@/lib/app/version";
import { databaseIsHealthy } from "@/lib/db/health";

// Public by design (no auth): load balancers and `npm start` scripts poll it.
export const dynamic = "force-dynamic";

export async function GET(): Promise<NextResponse> {
  const dbOk = await databaseIsHealthy();
  return NextResponse.json(
    { status: dbOk ? "ok" : "degraded", db: dbOk ? "ok" : "unavailable", version: KEELWATCH_VERSION },
    { status: dbOk ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
