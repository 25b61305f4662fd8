import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { errorResponse } from "@/lib/app/http";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { ChannelPatchSchema } from "@/lib/notify/channel-schemas";
import { deleteChannel, getChannel, updateChannel } from "@/lib/notify/channels-admin";

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
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, ChannelPatchSchema, 32 * 1024);
  if (!body.ok) return body.response;
  const { id } = await context.params;
  const outcome = await updateChannel(actorOf(request, auth), id, body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ channel: outcome.value });
});

/** Deletes the channel with its queued and logged deliveries; rules simply stop naming it. */
export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const outcome = await deleteChannel(actorOf(request, auth), id);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json(outcome.value);
});
