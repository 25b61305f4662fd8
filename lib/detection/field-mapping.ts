/**
 * The Elasticsearch mapping an admin gives the app (Settings → Field mapping):
 * its fields then compare by their mapped types in detection at ingest, rule
 * previews and hunts, over the built-in ECS types. Validated here, at the
 * boundary, so a stored mapping always reads.
 */
import { z } from "zod";
import { fieldTypesFromMapping, MappingError } from "../eql";

/** Largest mapping accepted, as JSON text: a full ECS mapping with every index merged is about 200 KiB. */
export const FIELD_MAPPING_MAX_BYTES = 2 * 1024 * 1024;

/** A `GET <index>/_mapping` answer, a `{"mappings": …}` body or `{"properties": …}`; null removes the mapping. */
export const FieldMappingSettingSchema = z.object({
  mapping: z
    .record(z.string(), z.unknown(), { error: "must be a JSON object: the answer of GET <index>/_mapping" })
    .nullable()
    .superRefine((mapping, context) => {
      if (mapping === null) return;
      try {
        fieldTypesFromMapping(mapping);
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        context.addIssue({ code: "custom", message: error.message });
      }
    }),
});
export type FieldMappingSetting = z.infer<typeof FieldMappingSettingSchema>;

/** How many fields the mapping gives a type to (what the settings page reports). */
export function mappedFieldCount(mapping: Record<string, unknown>): number {
  return fieldTypesFromMapping(mapping).fields.size;
}
