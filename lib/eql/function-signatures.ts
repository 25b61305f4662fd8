/**
 * The functions Elasticsearch EQL offers, with their arities and whether a
 * `~` case-insensitive form exists. The analyzer checks calls against this
 * table; the implementations live in functions.ts and must cover every name.
 * Names are spelled here as Elasticsearch documents them; a query may write
 * them in any case (`cidrmatch`, `CONCAT`), as Elasticsearch accepts.
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

const FUNCTIONS_BY_FOLDED_NAME: ReadonlyMap<string, FunctionSignature> = new Map(
  FUNCTION_SIGNATURES.map((signature) => [signature.name.toLowerCase(), signature]),
);

/**
 * The documented spelling of a function name written in any case, or the name
 * unchanged when no function has it. Elasticsearch resolves function names
 * case-insensitively, and published rules rely on it (`cidrmatch`, `CONCAT`).
 */
export function canonicalFunctionName(name: string): string {
  return FUNCTIONS_BY_FOLDED_NAME.get(name.toLowerCase())?.name ?? name;
}

/** Names from other languages (and Endgame EQL) that authors reach for, mapped to the EQL function. */
const FAMILIAR_NAMES: Record<string, string> = {
  strlen: "length",
  len: "length",
  contains: "stringContains",
  substr: "substring",
  tostring: "string",
  tonumber: "number",
};

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The function an unknown name most likely meant, or null when nothing is close. */
export function suggestFunction(name: string): string | null {
  const lower = name.toLowerCase();
  const familiar = FAMILIAR_NAMES[lower];
  if (familiar) return familiar;
  let best: { name: string; distance: number } | null = null;
  for (const signature of FUNCTION_SIGNATURES) {
    const distance = editDistance(lower, signature.name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: signature.name, distance };
  }
  return best?.name ?? null;
}
