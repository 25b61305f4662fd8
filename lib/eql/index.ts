/**
 * The public surface of Keelwatch's EQL engine. Callers import from here only;
 * the engine imports nothing from the rest of the project.
 */
export type * from "./ast";
export { EqlError, type EqlErrorCode, isEqlError } from "./errors";
export { compareEvents, sortEvents } from "./event-order";
export {
  compareVersions,
  ECS_FIELD_TYPES,
  type FieldKind,
  type FieldType,
  type FieldTypes,
  fieldTypesFromMapping,
  MappingError,
  withMapping,
} from "./field-types";
export { type Token, type TokenKind, tokenize } from "./lexer";
export { parse, parseExpression } from "./parser";
export { compilePrefilter, type LinePrefilter, type PrefilterLiteral } from "./prefilter";
export { print } from "./printer";
export { type CompiledQuery, compile, createRunner, orderEventsFor, run } from "./runner";
export { isMissingEvent, MISSING_EVENT } from "./sequence";
export type { EqlEvent, EqlOptions, EqlResult, EqlRunner } from "./types";
