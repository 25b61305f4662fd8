import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { auditNotification } from "@/lib/notify/audit";
import { testChannel } from "@/lib/notify/test-channel";

export const dynamic = "force-dynamic";

/** Sends a test message now and answers how it went (200 either way: a failed test is a result, not an error). */
export const POST = withStorageErrors(async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const result = await testChannel(id);
  if (!result.found) return errorResponse(404, "not_found", `No notification channel with id "${id}".`);
  await auditNotification(
    actorOf(request, auth),
    "notification_channel.test",
    "notification_channel",
    result.channel.id,
    {
      name: result.channel.name,
      ok: result.outcome.ok,
    },
  );
  return NextResponse.json({
    deliveryId: result.deliveryId,
    ok: result.outcome.ok,
    statusCode: result.outcome.statusCode,
    error: result.outcome.ok ? null : result.outcome.error,
  });
});
