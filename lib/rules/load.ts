import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { builtinRulesDir } from "./builtin";
import { type ParsedRuleFile, parseElasticRuleToml } from "./elastic-toml";
import { RuleError } from "./errors";
import { checkRuleQuery, type QueryValidator } from "./query-check";
import type { Rule } from "./schema";

/**
 * Loads rule files written in Elastic's detection-rules TOML format, plus
 * Keelwatch's own `[keelwatch]` table (triage_steps, response_steps,
 * false_positives, origin, enabled; see elastic-toml.ts for the full layout).
 *
 * A rule folder holds `rule.toml` and, optionally, `guide.md` beside it: the
 * guide file is the investigation guide and wins over `rule.note`, so long
 * markdown need not live inside a TOML string.
 */

export interface LoadOptions {
  /** Checks each query (e.g. lib/eql `parse`); errors are reported at file positions. */
  validateQuery?: QueryValidator | null;
}

export interface DirectoryLoad {
  /** Every rule that loaded, sorted by name. */
  rules: Rule[];
  /** One error per file that did not load; a bad file never hides the others. */
  errors: RuleError[];
}

const RULE_FILE = "rule.toml";
const GUIDE_FILE = "guide.md";

/** Reads and validates one rule file, returning the rule with its Elastic metadata. */
export async function readRuleFile(filePath: string, options: LoadOptions = {}): Promise<ParsedRuleFile> {
  const source = await readText(filePath);
  const guide = path.basename(filePath) === RULE_FILE ? await readOptional(siblingGuide(filePath)) : undefined;
  const parsed = parseElasticRuleToml(source, filePath, guide === undefined ? {} : { guide });
  if (options.validateQuery) checkRuleQuery(parsed, options.validateQuery);
  return parsed;
}

/** Reads and validates one rule file; throws a RuleError naming the file (and line/column when known). */
export async function loadRuleFile(filePath: string, options: LoadOptions = {}): Promise<Rule> {
  return (await readRuleFile(filePath, options)).rule;
}

/** Loads every `*.toml` under `dir`, recursively. */
export async function loadRulesFromDir(dir: string, options: LoadOptions = {}): Promise<DirectoryLoad> {
  const files = await findRuleFiles(dir);
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  const fileOfId = new Map<string, string>();

  for (const file of files) {
    try {
      const rule = await loadRuleFile(file, options);
      const earlier = fileOfId.get(rule.id);
      if (earlier) {
        errors.push(
          new RuleError("duplicate_rule", `rule id "${rule.id}" is already used by ${earlier}`, { file }, [
            { path: "rule.rule_id", message: `duplicate of ${earlier}` },
          ]),
        );
        continue;
      }
      fileOfId.set(rule.id, file);
      rules.push(rule);
    } catch (error) {
      errors.push(asRuleError(error, file));
    }
  }
  rules.sort(byName);
  return { rules, errors };
}

/**
 * The built-in pack, validated and sorted by name. Throws the first problem:
 * a broken built-in rule is a bug in Keelwatch, not something to run around.
 */
export async function loadBuiltinRules(dir: string = builtinRulesDir(), options: LoadOptions = {}): Promise<Rule[]> {
  const { rules, errors } = await loadRulesFromDir(dir, options);
  const [first] = errors;
  if (first) throw first;
  if (rules.length === 0) throw new RuleError("read", `no built-in rules found in ${dir}`, { file: dir });
  return rules;
}

async function findRuleFiles(dir: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  } catch (error) {
    throw new RuleError("read", `cannot read rule folder: ${messageOf(error)}`, { file: dir });
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await findRuleFiles(full)));
    else if (entry.isFile() && entry.name.endsWith(".toml")) files.push(full);
  }
  return files;
}

function siblingGuide(ruleFile: string): string {
  return path.join(path.dirname(ruleFile), GUIDE_FILE);
}

async function readText(filePath: string): Promise<string> {
  try {
    return await readFile(/*turbopackIgnore: true*/ filePath, "utf8");
  } catch (error) {
    throw new RuleError("read", `cannot read rule file: ${messageOf(error)}`, { file: filePath });
  }
}

async function readOptional(filePath: string): Promise<string | undefined> {
  try {
    return await readFile(/*turbopackIgnore: true*/ filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new RuleError("read", `cannot read guide: ${messageOf(error)}`, { file: filePath });
  }
}

function asRuleError(error: unknown, file: string): RuleError {
  return error instanceof RuleError ? error : new RuleError("read", messageOf(error), { file });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function byName(a: Rule, b: Rule): number {
  return a.name.localeCompare(b.name, "en");
}
