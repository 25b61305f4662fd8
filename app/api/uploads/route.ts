import { NextResponse } from "next/server";
import { UploadListQuerySchema } from "@/lib/api/route-schemas";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { listUploads } from "@/lib/db/uploads";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "uploads:read");
  if (!auth.ok) return auth.response;
  const query = UploadListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    const issue = query.error.issues[0];
    return errorResponse(400, "invalid_request", `Invalid query parameter ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return NextResponse.json(await listUploads(query.data.limit, query.data.cursor));
});
