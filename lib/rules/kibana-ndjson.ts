import { type ElasticFields, refuseNonEql, ruleDisplayName, ruleFromElasticFields } from "./elastic-fields";
import { RuleError } from "./errors";
import type { Rule } from "./schema";

/**
 * Reads a Kibana rules export (`POST /api/detection_engine/rules/_export`):
 * NDJSON, one JSON object per line. Rule objects carry `rule_id` and the same
 * snake_case fields as detection-rules TOML. The export also holds exception
 * lists and items, action connectors and a closing summary line: those are
 * not rules and are passed over. Every rule line either loads or yields an
 * error with its line number; EQL is the only type accepted.
 *
 * Kibana's own `enabled` flag is kept. Kibana exports have no [keelwatch]
 * table, so triage and response steps start empty.
 */
export interface KibanaImport {
  rules: Rule[];
  errors: RuleError[];
}

export function parseKibanaRulesNdjson(text: string, file = "<export>"): KibanaImport {
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const lineNumber = index + 1;
    try {
      const rule = parseRuleLine(line, file, lineNumber);
      if (rule) rules.push(rule);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      errors.push(error);
    }
  });
  return { rules, errors };
}

function parseRuleLine(line: string, file: string, lineNumber: number): Rule | null {
  const where = { file, line: lineNumber };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new RuleError("invalid_rule", `not valid JSON: ${(error as Error).message}`, where);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new RuleError("invalid_rule", "expected a JSON object per line", where);
  }
  const fields = value as ElasticFields;
  if (!("rule_id" in fields)) {
    if (isOtherExportObject(fields)) return null;
    throw new RuleError("invalid_rule", "not a rule: the object has no rule_id", where, [
      { path: "rule_id", message: "missing" },
    ]);
  }
  const name = ruleDisplayName(fields, `line ${lineNumber}`);
  const reporting = { keyPrefix: "", locate: () => where };
  refuseNonEql(fields, name, reporting);
  const prebuilt = fields.immutable === true || isExternalSource(fields.rule_source);
  const mapping = {
    keelwatch: {},
    enabledByDefault: typeof fields.enabled === "boolean" ? fields.enabled : true,
    ...(prebuilt ? { origin: "elastic" as const } : {}),
  };
  return ruleFromElasticFields(fields, mapping, reporting, name);
}

/** Exception lists and items, connectors and the export summary share the file with rules. */
function isOtherExportObject(fields: ElasticFields): boolean {
  return (
    "exported_count" in fields ||
    "exported_rules_count" in fields ||
    "list_id" in fields ||
    "item_id" in fields ||
    "attributes" in fields
  );
}

function isExternalSource(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as { type?: unknown }).type === "external";
}
