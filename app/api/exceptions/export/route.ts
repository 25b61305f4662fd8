import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { exportExceptions } from "@/lib/db/exceptions";

export const dynamic = "force-dynamic";

/** GET /api/exceptions/export → every list and item as NDJSON (lib/exceptions/ndjson.ts). */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  return new NextResponse(await exportExceptions(), {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": 'attachment; filename="keelwatch-exceptions.ndjson"',
    },
  });
});
