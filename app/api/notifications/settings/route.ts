import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { auditNotification } from "@/lib/notify/audit";
import { PUBLIC_URL_SETTING, publicUrlView, storePublicUrl } from "@/lib/notify/public-url";
import { PublicUrlSettingSchema } from "@/lib/notify/rule-schemas";

export const dynamic = "force-dynamic";

export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  return NextResponse.json({ publicUrl: await publicUrlView() });
});

export const PUT = withStorageErrors(async function PUT(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "notifications:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, PublicUrlSettingSchema, 4 * 1024);
  if (!body.ok) return body.response;
  await storePublicUrl(body.data.publicUrl);
  await auditNotification(actorOf(request, auth), "setting.update", "setting", PUBLIC_URL_SETTING, {
    publicUrl: body.data.publicUrl,
  });
  return NextResponse.json({ publicUrl: await publicUrlView() });
});
