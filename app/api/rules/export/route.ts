import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { exportRules } from "@/lib/db/rule-admin";

export const dynamic = "force-dynamic";

/** Every rule (or those named by repeated `?id=`) as a Kibana-compatible NDJSON download. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<Response> {
  const auth = await guard(request, "rules:read");
  if (!auth.ok) return auth.response;
  const ids = new URL(request.url).searchParams.getAll("id");
  const body = await exportRules(ids.length > 0 ? ids : undefined);
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": 'attachment; filename="keelwatch-rules.ndjson"',
      "cache-control": "no-store",
    },
  });
});
