import type { Position, Span } from "./ast";

/**
 * Every problem with a query is reported as an EqlError: a stable code, a
 * message a rule author can act on, and where in the query text it is.
 * Nothing else may escape `parse`, `analyze` or `compile`.
 */
export type EqlErrorCode =
  | "syntax" // the text does not follow the grammar
  | "unknown_function" // a function name EQL does not have
  | "arity" // wrong number of function or pipe arguments
  | "type" // an argument or operand of the wrong type
  | "unknown_pipe" // a pipe EQL does not have
  | "unsupported" // valid EQL that Keelwatch does not run (say why in the message)
  | "invalid"; // anything else semantically wrong (e.g. a sequence with one term)

export class EqlError extends Error {
  readonly code: EqlErrorCode;
  readonly line: number;
  readonly column: number;
  readonly span: Span | null;
  /** The message without the "line L, column C: " prefix. */
  readonly reason: string;

  constructor(code: EqlErrorCode, message: string, where: Span | Position | null) {
    const start = where === null ? null : "start" in where ? where.start : where;
    super(start ? `line ${start.line}, column ${start.column}: ${message}` : message);
    this.name = "EqlError";
    this.code = code;
    this.line = start?.line ?? 1;
    this.column = start?.column ?? 1;
    this.span = where === null ? null : "start" in where ? where : { start: where, end: where };
    this.reason = message;
  }
}

export function isEqlError(value: unknown): value is EqlError {
  return value instanceof EqlError;
}
