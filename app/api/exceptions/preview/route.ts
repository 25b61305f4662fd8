import { NextResponse } from "next/server";
import { ExceptionPreviewSchema } from "@/lib/api/route-schemas";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { previewException } from "@/lib/db/exceptions";
import { withStoreErrors } from "../respond";

export const dynamic = "force-dynamic";

/**
 * POST /api/exceptions/preview {scope, groups, days?} → ExceptionPreview: the
 * open alerts it would close and the events of the last `days` days it would
 * have suppressed per rule, with samples. Writes nothing, so reading is enough.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, ExceptionPreviewSchema, 256 * 1024);
  if (!body.ok) return body.response;
  const { days, ...input } = body.data;
  return withStoreErrors(async () => NextResponse.json(await previewException(input, { days })));
});
