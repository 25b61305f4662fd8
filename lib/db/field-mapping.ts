import { ECS_FIELD_TYPES, type FieldTypes, fieldTypesFromMapping, withMapping } from "../eql";
import { retryWhenBusy } from "./busy-retry";
import { prisma } from "./client";

/** The AppSetting row that holds the admin's Elasticsearch mapping, as JSON text. */
export const FIELD_MAPPING_SETTING = "eql.field_mapping";

export interface StoredFieldMapping {
  mapping: Record<string, unknown>;
  updatedAt: Date;
}

export async function readFieldMapping(): Promise<StoredFieldMapping | null> {
  const row = await prisma().appSetting.findUnique({ where: { key: FIELD_MAPPING_SETTING } });
  if (!row) return null;
  return { mapping: JSON.parse(row.value) as Record<string, unknown>, updatedAt: row.updatedAt };
}

/** Stores a mapping already validated (FieldMappingSettingSchema), or removes it with null. */
export async function storeFieldMapping(mapping: Record<string, unknown> | null): Promise<void> {
  const key = FIELD_MAPPING_SETTING;
  await retryWhenBusy(async () => {
    if (mapping === null) await prisma().appSetting.deleteMany({ where: { key } });
    else {
      const value = JSON.stringify(mapping);
      await prisma().appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
    }
  });
}

/**
 * The field types of detection, previews and hunts: ECS's with the stored mapping over them.
 * A stored mapping that no longer reads (written by hand into the database) is reported and left out,
 * so that ingest goes on comparing by the ECS types rather than failing.
 */
export async function storedFieldTypes(): Promise<FieldTypes> {
  const stored = await readFieldMapping().catch((error: unknown) => {
    console.error(`keelwatch: the field mapping setting cannot be read: ${(error as Error).message}`);
    return null;
  });
  if (!stored) return ECS_FIELD_TYPES;
  try {
    return withMapping(ECS_FIELD_TYPES, fieldTypesFromMapping(stored.mapping));
  } catch (error) {
    console.error(`keelwatch: the stored field mapping is left out: ${(error as Error).message}`);
    return ECS_FIELD_TYPES;
  }
}
