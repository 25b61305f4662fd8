/**
 * False-positive exceptions: schema, matcher, prefill and NDJSON format.
 * No database or HTTP here; lib/db/exceptions.ts stores and loads items.
 */
export {
  type ActiveExceptions,
  type CompiledExceptions,
  compileCondition,
  compileExceptionItem,
  compileExceptions,
  type EventPredicate,
  type ExceptionEvent,
  type ExceptionMatch,
  isActive,
  type MatchableItem,
  type ValueLists,
} from "./matcher";
export {
  type ExportedItem,
  type ExportedLine,
  type ExportedList,
  type LineError,
  parseExceptionsNdjson,
  toNdjson,
} from "./ndjson";
export { PREFILL_FIELDS, prefillConditions } from "./prefill";
export * from "./schema";
export { parseValueListText, type ValueListParse } from "./value-list";
