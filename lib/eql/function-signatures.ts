/**
 * The functions Elasticsearch EQL offers, with their arities and whether a
 * `~` case-insensitive form exists. The analyzer checks calls against this
 * table; the implementations live in functions.ts and must cover every name.
 * Names are case-sensitive, exactly as Elasticsearch spells them.
 */
export interface FunctionSignature {
  name: string;
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  /** Whether `name~(...)` is accepted. */
  caseInsensitiveForm: boolean;
}

export const FUNCTION_SIGNATURES: readonly FunctionSignature[] = [
  { name: "add", minArgs: 2, maxArgs: 2, caseInsensitiveForm: false },
  { name: "between", minArgs: 3, maxArgs: 4, caseInsensitiveForm: true },
  { name: "cidrMatch", minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, caseInsensitiveForm: false },
  { name: "concat", minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, caseInsensitiveForm: false },
  { name: "divide", minArgs: 2, maxArgs: 2, caseInsensitiveForm: false },
  { name: "endsWith", minArgs: 2, maxArgs: 2, caseInsensitiveForm: true },
  { name: "indexOf", minArgs: 2, maxArgs: 3, caseInsensitiveForm: true },
  { name: "length", minArgs: 1, maxArgs: 1, caseInsensitiveForm: false },
  { name: "modulo", minArgs: 2, maxArgs: 2, caseInsensitiveForm: false },
  { name: "multiply", minArgs: 2, maxArgs: 2, caseInsensitiveForm: false },
  { name: "number", minArgs: 1, maxArgs: 2, caseInsensitiveForm: false },
  { name: "startsWith", minArgs: 2, maxArgs: 2, caseInsensitiveForm: true },
  { name: "string", minArgs: 1, maxArgs: 1, caseInsensitiveForm: false },
  { name: "stringContains", minArgs: 2, maxArgs: 2, caseInsensitiveForm: true },
  { name: "substring", minArgs: 2, maxArgs: 3, caseInsensitiveForm: false },
  { name: "subtract", minArgs: 2, maxArgs: 2, caseInsensitiveForm: false },
];

export const FUNCTIONS_BY_NAME: ReadonlyMap<string, FunctionSignature> = new Map(
  FUNCTION_SIGNATURES.map((signature) => [signature.name, signature]),
);
