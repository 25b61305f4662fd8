/**
 * Every problem with a rule file is a RuleError: a stable code, a message a
 * rule author can act on, and where it happened (file, and line/column when
 * the problem can be pinned to a place in the file).
 */
export type RuleErrorCode =
  | "read" // the file or folder cannot be read
  | "toml_syntax" // the file is not valid TOML
  | "unsupported_rule" // a valid rule of a type or language Keelwatch does not run
  | "invalid_rule" // a field is missing or has the wrong shape or value
  | "invalid_query" // the EQL query does not parse
  | "duplicate_rule"; // two files in one folder declare the same rule id

/** One field-level problem, named by its path ("rule.risk_score", "threat[0].tactic.id"). */
export interface RuleIssue {
  path: string;
  message: string;
}

export interface RuleErrorLocation {
  file?: string | null;
  line?: number | null;
  column?: number | null;
}

export class RuleError extends Error {
  readonly code: RuleErrorCode;
  /** The message without the "file:line:column: " prefix. */
  readonly reason: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly issues: readonly RuleIssue[];

  constructor(code: RuleErrorCode, reason: string, where: RuleErrorLocation = {}, issues: readonly RuleIssue[] = []) {
    super(`${locationPrefix(where)}${reason}`);
    this.name = "RuleError";
    this.code = code;
    this.reason = reason;
    this.file = where.file ?? null;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
    this.issues = issues;
  }
}

/** A well-formed rule that Keelwatch refuses to run because it is not an EQL rule. */
export class UnsupportedRuleError extends RuleError {
  readonly ruleName: string;
  readonly ruleType: string;
  readonly language: string | null;

  constructor(ruleName: string, ruleType: string, language: string | null, where: RuleErrorLocation = {}) {
    const what =
      ruleType === "eql"
        ? `language "${language}" is not supported for type "eql"`
        : ruleType === "query" && language
          ? `type "query" (language "${language}") is not supported`
          : `type "${ruleType}" is not supported`;
    super("unsupported_rule", `rule "${ruleName}": ${what}; Keelwatch runs EQL rules`, where);
    this.name = "UnsupportedRuleError";
    this.ruleName = ruleName;
    this.ruleType = ruleType;
    this.language = language;
  }
}

export function isRuleError(value: unknown): value is RuleError {
  return value instanceof RuleError;
}

function locationPrefix({ file, line, column }: RuleErrorLocation): string {
  if (!file && !line) return "";
  const parts = [file ?? "<rule>"];
  if (line) parts.push(String(line));
  if (line && column) parts.push(String(column));
  return `${parts.join(":")}: `;
}
