import { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { principalLabel } from "@/lib/auth/principal";
import { removeSampleData, sampleDataStatus } from "@/lib/samples/sample-data";

export const dynamic = "force-dynamic";

/** Whether sample data is loaded, with its uploads and counts (the UI offers removal when it is). */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const status = await sampleDataStatus();
  return NextResponse.json({ loaded: status.uploads.length > 0, ...status });
});

/** Removes every sample upload with its events and alerts, in one action. */
export const DELETE = withStorageErrors(async function DELETE(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:write");
  if (!auth.ok) return auth.response;
  const removed = await removeSampleData({
    id: auth.principal.kind === "user" ? auth.principal.id : null,
    label: principalLabel(auth.principal),
    ip: auth.ip,
  });
  return NextResponse.json({ removed });
});
