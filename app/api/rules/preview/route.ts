import { NextResponse } from "next/server";
import { RulePreviewSchema } from "@/lib/api/route-schemas";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { iterateStoredEvents } from "@/lib/db/events";
import { storedFieldTypes } from "@/lib/db/field-mapping";
import { findUpload } from "@/lib/db/uploads";
import { previewQuery } from "@/lib/detection/preview";
import { isEqlError } from "@/lib/eql";

export const dynamic = "force-dynamic";

const DAY = 86_400_000;

/** What a rule would match among stored events, without raising alerts. */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "rules:read");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, RulePreviewSchema, 256 * 1024);
  if (!body.ok) return body.response;
  const input = body.data;
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 7 * DAY);
  if (!input.uploadId && from >= to) {
    return errorResponse(400, "invalid_request", "from must be before to.", [{ field: "from", message: "after to" }]);
  }
  // An unknown upload would otherwise read as "0 events scanned", which looks like an empty file.
  if (input.uploadId && !(await findUpload(input.uploadId))) {
    return errorResponse(404, "not_found", `No upload with id "${input.uploadId}".`, [
      { field: "uploadId", message: "no such upload" },
    ]);
  }
  try {
    const result = await previewQuery(
      input.query,
      {
        eventCategoryField: input.eventCategoryField,
        timestampField: input.timestampField,
        tiebreakerField: input.tiebreakerField,
        // As detection at ingest compares them: ECS types, and the stored field mapping over them.
        fieldTypes: await storedFieldTypes(),
      },
      iterateStoredEvents(input.uploadId ? { uploadId: input.uploadId } : { from, to }),
      input.limit,
    );
    return NextResponse.json({
      scope: input.uploadId ? { uploadId: input.uploadId } : { from: from.toISOString(), to: to.toISOString() },
      ...result,
    });
  } catch (error) {
    if (isEqlError(error)) {
      return errorResponse(400, "invalid_query", `The query is not valid EQL: ${error.message}`, [
        { field: "query", line: error.line, column: error.column, message: error.reason },
      ]);
    }
    throw error;
  }
});
