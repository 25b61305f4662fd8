import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { storageErrorResponse, withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { sourceStream } from "@/lib/db/sources";
import type { UploadReport } from "@/lib/db/uploads";
import { BodyTooLargeError, ReadEventsError } from "@/lib/events/read-events";
import { formatBytes, UploadTooLargeError } from "@/lib/ingest/byte-limit";
import { ingestEvents } from "@/lib/ingest/ingest";
import { submitPush } from "@/lib/ingest/stream/push-queue";
import { maxPushBytes, readPush } from "@/lib/ingest/stream/read-push";
import { maxUploadBytes, publicReport, reportStatus, UploadQuerySchema } from "@/lib/ingest/upload-request";

export const dynamic = "force-dynamic";

/**
 * Streams an events file (NDJSON, JSON array, gzip of either) through
 * detection into the database. A request with an API token and no `filename`
 * is a sensor's push: it joins the token's stream (lib/ingest/stream) instead
 * of becoming an upload of its own.
 */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "events:ingest");
  if (!auth.ok) return auth.response;
  const params = new URL(request.url).searchParams;
  const query = UploadQuerySchema.safeParse(Object.fromEntries(params));
  if (!query.success) {
    const issue = query.error.issues[0];
    return errorResponse(400, "invalid_request", `Invalid query parameter ${issue?.path.join(".")}: ${issue?.message}`);
  }
  if (auth.principal.kind === "token" && !params.has("filename")) {
    return push(request, { id: auth.principal.id, name: auth.principal.name }, query.data.format);
  }
  const limit = maxUploadBytes();
  if (Number(request.headers.get("content-length") ?? 0) > limit) {
    return errorResponse(413, "upload_too_large", new UploadTooLargeError(limit).message);
  }
  if (!request.body) return errorResponse(400, "empty_upload", "The upload is empty: send NDJSON or a JSON array.");
  try {
    // Node's web streams are async iterable; the DOM typings do not say so.
    const report = await ingestEvents(request.body as unknown as AsyncIterable<Uint8Array>, {
      fileName: query.data.filename,
      format: query.data.format,
      createdById: auth.principal.kind === "user" ? auth.principal.id : null,
      apiTokenId: auth.principal.kind === "token" ? auth.principal.id : null,
      maxBytes: limit,
    });
    // Empty means nothing at all: a push of only a sensor's metrics snapshots is a success with a notice.
    if (report.events.received === 0 && report.errorCount === 0 && report.errors.length === 0) {
      return errorResponse(400, "empty_upload", "The upload holds no events: send NDJSON or a JSON array of objects.", {
        uploadId: report.uploadId,
      });
    }
    return NextResponse.json(publicReport(report), { status: reportStatus(report) });
  } catch (error) {
    if (error instanceof UploadTooLargeError) return errorResponse(413, "upload_too_large", error.message);
    if (error instanceof BodyTooLargeError) {
      return errorResponse(413, "upload_too_large", `The upload is too large: ${error.message}.`);
    }
    if (error instanceof ReadEventsError)
      return errorResponse(400, "unreadable_upload", `The upload cannot be read: ${error.message}`);
    // Locked, read-only or full database: whole batches stored so far stay, the rest can be sent again.
    const storage = storageErrorResponse(error);
    if (storage) return storage;
    throw error;
  }
});

/** A sensor's push: read whole, stored with the source's other pushes in flight, answered once stored. */
async function push(
  request: Request,
  token: { id: string; name: string },
  format: Parameters<typeof readPush>[1],
): Promise<NextResponse> {
  const limit = maxPushBytes();
  const tooLarge = () =>
    errorResponse(
      413,
      "push_too_large",
      `A sensor push holds at most ${formatBytes(limit)} (KEELWATCH_MAX_PUSH_BYTES). Send smaller batches, or send a file as an upload: add ?filename=NAME.`,
    );
  if (Number(request.headers.get("content-length") ?? 0) > limit) return tooLarge();
  if (!request.body) return errorResponse(400, "empty_upload", "The push is empty: send NDJSON or a JSON array.");
  let report: UploadReport;
  try {
    const read = await readPush(request.body as unknown as AsyncIterable<Uint8Array>, format, limit);
    if (read.items.length === 0) {
      return errorResponse(400, "empty_upload", "The push holds no events: send NDJSON or a JSON array of objects.");
    }
    report = await submitPush(await sourceStream(token), read);
  } catch (error) {
    if (error instanceof UploadTooLargeError || error instanceof BodyTooLargeError) return tooLarge();
    if (error instanceof ReadEventsError)
      return errorResponse(400, "unreadable_upload", `The push cannot be read: ${error.message}`);
    const storage = storageErrorResponse(error);
    if (storage) return storage;
    throw error;
  }
  return NextResponse.json({ ...publicReport(report), source: token }, { status: reportStatus(report) });
}
