import { NextResponse } from "next/server";
import { KEELWATCH_VERSION } from "@/lib/app/version";
import { databaseHealth } from "@/lib/db/health";

// Public by design (no auth): load balancers and `npm start` scripts poll it.
export const dynamic = "force-dynamic";

/**
 * 200 while the database answers reads: with `db: "read_only"` (and status
 * "degraded") the server still serves everything but writes, so a load
 * balancer keeps sending it readers while monitoring sees the difference.
 */
export async function GET(): Promise<NextResponse> {
  const db = await databaseHealth();
  return NextResponse.json(
    { status: db === "ok" ? "ok" : "degraded", db, version: KEELWATCH_VERSION },
    { status: db === "unavailable" ? 503 : 200, headers: { "Cache-Control": "no-store" } },
  );
}
