import { NextResponse } from "next/server";
import { z } from "zod";
import { readJsonBody } from "@/lib/app/body";
import { guard } from "@/lib/auth/guard";
import { PREVIEW_MAX_DAYS, previewException } from "@/lib/db/exceptions";
import { ConditionGroupsSchema, ExceptionScopeSchema } from "@/lib/exceptions";
import { withStoreErrors } from "../respond";

export const dynamic = "force-dynamic";

const PreviewSchema = z.object({
  scope: ExceptionScopeSchema,
  groups: ConditionGroupsSchema,
  days: z.int().min(1).max(PREVIEW_MAX_DAYS).default(7),
});

/**
 * POST /api/exceptions/preview {scope, groups, days?} → ExceptionPreview: the
 * open alerts it would close and the events of the last `days` days it would
 * have suppressed per rule, with samples. Writes nothing, so reading is enough.
 */
export async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "exceptions:read");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, PreviewSchema, 256 * 1024);
  if (!body.ok) return body.response;
  const { days, ...input } = body.data;
  return withStoreErrors(async () => NextResponse.json(await previewException(input, { days })));
}
