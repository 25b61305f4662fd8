import { errorResponse } from "@/lib/app/http";
import { isEqlError } from "@/lib/eql";

/** A bad query as the rule preview answers it: 400, with the line and column in details. */
export function invalidQueryResponse(error: unknown) {
  if (!isEqlError(error)) return null;
  return errorResponse(400, "invalid_query", `The query is not valid EQL: ${error.message}`, [
    { field: "query", line: error.line, column: error.column, message: error.reason },
  ]);
}
