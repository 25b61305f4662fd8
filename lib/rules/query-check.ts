import type { ParsedRuleFile } from "./elastic-toml";
import { RuleError } from "./errors";

/**
 * Checks a query's syntax and semantics; throws on a bad query. lib/eql's
 * `parse` fits (its EqlError carries line/column within the query text).
 */
export type QueryValidator = (query: string) => unknown;

interface PositionedError {
  line: number;
  column: number;
  reason?: string;
  message: string;
}

/**
 * Runs the validator over a parsed rule file and reports a bad query at its
 * place in the file (the query's line 1 is the line its string starts on).
 */
export function checkRuleQuery(parsed: ParsedRuleFile, validate: QueryValidator): void {
  try {
    validate(parsed.rule.query);
  } catch (error) {
    const reason = `rule "${parsed.rule.name}": invalid query: ${reasonOf(error)}`;
    const issues = [{ path: "rule.query", message: reasonOf(error) }];
    if (!isPositioned(error) || !parsed.queryStart) {
      throw new RuleError("invalid_query", reason, { file: parsed.file }, issues);
    }
    const line = parsed.queryStart.line + error.line - 1;
    const column = error.line === 1 ? parsed.queryStart.column + error.column - 1 : error.column;
    throw new RuleError("invalid_query", reason, { file: parsed.file, line, column }, issues);
  }
}

function isPositioned(error: unknown): error is PositionedError {
  if (!(error instanceof Error)) return false;
  const candidate = error as Partial<PositionedError>;
  return typeof candidate.line === "number" && typeof candidate.column === "number";
}

function reasonOf(error: unknown): string {
  if (isPositioned(error)) return error.reason ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
