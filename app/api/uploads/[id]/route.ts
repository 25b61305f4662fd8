import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { getUploadDetail } from "@/lib/db/uploads";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<NextResponse> {
  const auth = await guard(request, "uploads:read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const upload = await getUploadDetail(id);
  if (!upload) return errorResponse(404, "not_found", `No upload with id "${id}".`);
  return NextResponse.json(upload);
});
