import { readFile } from "node:fs/promises";
import path from "node:path";
import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** The sample events files (one per format) a new user can download and upload to see Keelwatch work. */
const SAMPLE_FILES = ["ecs-cloud-defend.ndjson", "falco.ndjson", "tetragon.ndjson", "datadog.ndjson"] as const;

export const GET = withStorageErrors(async function GET(
  request: Request,
  context: { params: Promise<{ name: string }> },
): Promise<NextResponse> {
  const auth = await guard(request, "uploads:read");
  if (!auth.ok) return auth.response;
  const { name } = await context.params;
  // Only the listed names: a path from the URL never reaches the file system.
  const file = SAMPLE_FILES.find((sample) => sample === name);
  if (!file) return errorResponse(404, "not_found", `No sample named "${name}". Samples: ${SAMPLE_FILES.join(", ")}.`);
  const body = await readFile(path.join(process.cwd(), "e2e", "fixtures", file));
  return new NextResponse(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${file}"`,
    },
  });
});
