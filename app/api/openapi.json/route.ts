import { NextResponse } from "next/server";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

// Signed-in only (any person or a reader token): the document maps every route, and
// anyone evaluating Keelwatch can read the same thing in docs/api.md and at /api-docs.
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json(buildOpenApiDocument());
});
