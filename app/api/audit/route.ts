import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { AuditQuerySchema } from "@/lib/auth/admin-schemas";
import { guard } from "@/lib/auth/guard";
import { auditFacets, queryAudit } from "@/lib/db/audit-query";

export const dynamic = "force-dynamic";

/** GET /api/audit?actor=alice&action=user.&before=123&limit=50 — newest first. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "audit:read");
  if (!auth.ok) return auth.response;
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ""));
  const query = AuditQuerySchema.safeParse(params);
  if (!query.success) {
    const details = query.error.issues.map((issue) => ({
      field: issue.path.join(".") || "(query)",
      message: issue.message,
    }));
    const summary = details.map((d) => `${d.field}: ${d.message}`).join("; ");
    return errorResponse(400, "invalid_request", `Invalid query: ${summary}`, details);
  }
  const [page, facets] = await Promise.all([queryAudit(query.data), auditFacets()]);
  return NextResponse.json({ ...page, ...facets });
});
