import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { deliveriesForAlert } from "@/lib/db/notification-settings";
import { DeliveryQuerySchema } from "@/lib/notify/rule-schemas";

export const dynamic = "force-dynamic";

/** An alert's notification log: where it was sent, what became of it and each attempt. */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "alerts:read");
  if (!auth.ok) return auth.response;
  const parsed = DeliveryQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message }));
    return errorResponse(
      400,
      "invalid_request",
      `Invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join("; ")}`,
      details,
    );
  }
  return NextResponse.json({ deliveries: await deliveriesForAlert(parsed.data.alertId) });
});
