import type { NextResponse } from "next/server";
import { withStorageErrors } from "@/lib/app/storage-error";
import { NotificationRulePatchSchema } from "@/lib/notify/rule-schemas";
import { deleteNotificationRule, updateNotificationRule } from "@/lib/notify/rules-admin";
import { deleteNotificationItem, patchNotificationItem } from "../../item-handlers";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const PATCH = withStorageErrors(async function PATCH(request: Request, context: Context): Promise<NextResponse> {
  return patchNotificationItem(request, context, {
    schema: NotificationRulePatchSchema,
    update: updateNotificationRule,
    key: "rule",
  });
});

export const DELETE = withStorageErrors(async function DELETE(
  request: Request,
  context: Context,
): Promise<NextResponse> {
  return deleteNotificationItem(request, context, deleteNotificationRule);
});
