import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { principalLabel } from "@/lib/auth/principal";
import { publicReport } from "@/lib/ingest/upload-request";
import { LoadSampleSchema } from "@/lib/samples/api-schemas";
import { sampleUploadName } from "@/lib/samples/formats";
import { loadSample } from "@/lib/samples/sample-data";

export const dynamic = "force-dynamic";

/** Ingests a bundled sample incident through the normal pipeline, marked as sample data. Idempotent. */
export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:write");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, LoadSampleSchema);
  if (!body.ok) return body.response;
  const { format } = body.data;
  const result = await loadSample(format, {
    id: auth.principal.kind === "user" ? auth.principal.id : null,
    label: principalLabel(auth.principal),
    ip: auth.ip,
  });
  return NextResponse.json({
    format,
    alreadyLoaded: result.alreadyLoaded,
    uploadId: result.uploadId,
    message: result.alreadyLoaded
      ? `${sampleUploadName(format)} is already loaded: nothing was added.`
      : `${sampleUploadName(format)} loaded: ${result.report.alerts.created} alerts raised.`,
    report: publicReport(result.report),
  });
});
