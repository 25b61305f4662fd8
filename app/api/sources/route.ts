import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { listSources } from "@/lib/db/sources";

export const dynamic = "force-dynamic";

/** Every sensor source (ingest token) with its counts, latest errors and health; `silent` counts the silent ones. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "uploads:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json(await listSources(), { headers: { "Cache-Control": "no-store" } });
});
