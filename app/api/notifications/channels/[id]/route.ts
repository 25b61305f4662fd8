import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { guard } from "@/lib/auth/guard";
import { ChannelPatchSchema } from "@/lib/notify/channel-schemas";
import { deleteChannel, getChannel, updateChannel } from "@/lib/notify/channels-admin";
import { deleteNotificationItem, patchNotificationItem } from "../../item-handlers";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withStorageErrors(async function GET(request: Request, context: Context): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const channel = await getChannel(id);
  if (!channel) return errorResponse(404, "not_found", `No notification channel with id "${id}".`);
  return NextResponse.json({ channel });
});

export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  return patchNotificationItem(request, context, { schema: ChannelPatchSchema, update: updateChannel, key: "channel" });
});

/** Deletes the channel with its queued and logged deliveries; rules simply stop naming it. */
export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  return deleteNotificationItem(request, context, deleteChannel);
});
