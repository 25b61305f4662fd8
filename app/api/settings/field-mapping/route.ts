import { NextResponse } from "next/server";
import { readJsonBody } from "@/lib/app/body";
import { withStorageErrors } from "@/lib/app/storage-error";
import { actorOf } from "@/lib/auth/admin-outcome";
import { guard } from "@/lib/auth/guard";
import { FIELD_MAPPING_SETTING, readFieldMapping, storeFieldMapping } from "@/lib/db/field-mapping";
import { FIELD_MAPPING_MAX_BYTES, FieldMappingSettingSchema, mappedFieldCount } from "@/lib/detection/field-mapping";
import { auditNotification } from "@/lib/notify/audit";

export const dynamic = "force-dynamic";

async function view(): Promise<{ mapping: Record<string, unknown> | null; fields: number; updatedAt: string | null }> {
  const stored = await readFieldMapping();
  if (!stored) return { mapping: null, fields: 0, updatedAt: null };
  return {
    mapping: stored.mapping,
    fields: mappedFieldCount(stored.mapping),
    updatedAt: stored.updatedAt.toISOString(),
  };
}

/** The Elasticsearch mapping detection, previews and hunts compare fields by (over the built-in ECS types). */
export const GET = withStorageErrors(async function GET(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "rules:read");
  if (!auth.ok) return auth.response;
  return NextResponse.json(await view());
});

/** Sets the mapping (`{"mapping": {...}}`) or removes it (`{"mapping": null}`); admins only. */
export const PUT = withStorageErrors(async function PUT(request: Request): Promise<NextResponse> {
  const auth = await guard(request, "settings:manage");
  if (!auth.ok) return auth.response;
  const body = await readJsonBody(request, FieldMappingSettingSchema, FIELD_MAPPING_MAX_BYTES);
  if (!body.ok) return body.response;
  await storeFieldMapping(body.data.mapping);
  const current = await view();
  await auditNotification(actorOf(request, auth), "setting.update", "setting", FIELD_MAPPING_SETTING, {
    fields: current.fields,
  });
  return NextResponse.json(current);
});
