import fs from "node:fs";
import path from "node:path";
import { ECS_FIELD_TYPES, type FieldTypes, fieldTypesFromMapping, MappingError, withMapping } from "../eql";
import type { CliIO } from "./io";
import { UsageError } from "./io";

/**
 * The field types a command's queries compare by: the built-in ECS types, with
 * the Elasticsearch mapping of `--mapping FILE` over them (the JSON answer of
 * `GET <index>/_mapping`). A mapping that cannot be read is a usage error
 * that names the file and the property at fault.
 */
export function fieldTypesOption(mappingFile: string | undefined, io: CliIO): FieldTypes {
  if (mappingFile === undefined) return ECS_FIELD_TYPES;
  const full = path.resolve(io.cwd, mappingFile);
  if (!fs.existsSync(full)) throw new UsageError(`no such mapping file: ${mappingFile}`);
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(full, "utf8"));
  } catch (error) {
    throw new UsageError(`--mapping ${mappingFile}: not JSON: ${(error as Error).message}`);
  }
  try {
    return withMapping(ECS_FIELD_TYPES, fieldTypesFromMapping(document));
  } catch (error) {
    if (error instanceof MappingError) throw new UsageError(`--mapping ${mappingFile}: ${error.message}`);
    throw error;
  }
}
