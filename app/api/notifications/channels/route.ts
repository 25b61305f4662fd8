import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf, refusalResponse } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { ChannelInputSchema } from "@/lib/notify/channel-schemas";
import { createChannel, listChannels } from "@/lib/notify/channels-admin";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ channels: await listChannels() });
});

export const POST = withStorageErrors(async function POST(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, ChannelInputSchema, 32 * 1024);
  if (!body.ok) return body.response;
  const outcome = await createChannel(actorOf(request, auth), body.data);
  if (!outcome.ok) return refusalResponse(outcome);
  return NextResponse.json({ channel: outcome.value }, { status: 201 });
});
