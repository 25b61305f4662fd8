import { parse as parseToml, TomlError } from "smol-toml";
import {
  type FieldReporting,
  readKeelwatchExtras,
  refuseNonEql,
  ruleDisplayName,
  ruleFromElasticFields,
  strings,
  text,
} from "./elastic-fields";
import { RuleError, type RuleErrorLocation } from "./errors";
import type { Rule } from "./schema";
import { locateKeys } from "./toml-positions";

/**
 * Reads a rule file in the format of Elastic's detection-rules repository:
 *
 *   [metadata]   creation_date, updated_date, maturity, integration, ...
 *   [rule]       rule_id, name, description, type, language, query, index,
 *                severity, risk_score, interval, from, max_signals, tags,
 *                note (investigation guide, markdown), references, author,
 *                license, version, false_positives, event_category_override,
 *                timestamp_field, tiebreaker_field
 *   [[rule.threat]] framework, [rule.threat.tactic], [[rule.threat.technique]]
 *                (each technique may hold [[rule.threat.technique.subtechnique]])
 *
 * Keelwatch keeps what Elastic's format has no place for in its own table of
 * the same file, which Elastic's tooling ignores:
 *
 *   [keelwatch]
 *   triage_steps    = ["..."]  ordered checklist shown at the triage screen
 *   response_steps  = ["..."]  ordered response/remediation checklist
 *   false_positives = ["..."]  false-positive notes; replaces rule.false_positives
 *   origin          = "elastic" | "datadog" | "custom"
 *                     (default: "elastic" when rule.author names Elastic, else "custom")
 *   enabled         = true | false
 *                     (default: true, false for rules whose metadata.maturity is "deprecated")
 *
 * Only EQL rules are accepted: any other type or language is refused with an
 * UnsupportedRuleError rather than skipped, so an import never loses a rule
 * silently. `timestamp_override` (Kibana's range-filter field) is not the EQL
 * timestamp field and is not mapped; `index` and `[metadata]` are returned
 * beside the rule for callers that want them.
 */

export interface ElasticRuleMetadata {
  creationDate: string | null;
  updatedDate: string | null;
  maturity: string | null;
  integration: string[];
}

export interface ParsedRuleFile {
  rule: Rule;
  metadata: ElasticRuleMetadata;
  index: string[];
  file: string;
  /** Where the query text starts in the file, to report EQL errors at file positions. */
  queryStart: { line: number; column: number } | null;
}

export interface ElasticTomlOptions {
  /** Investigation guide from a sibling guide.md; it replaces rule.note. */
  guide?: string;
}

type Table = Record<string, unknown>;

export function parseElasticRuleToml(
  source: string,
  file = "<rule>",
  options: ElasticTomlOptions = {},
): ParsedRuleFile {
  const document = readToml(source, file);
  const positions = locateKeys(source);
  const locate = (key: string): RuleErrorLocation => {
    const found = positions.get(key);
    return found ? { file, line: found.line, column: found.column } : { file };
  };

  const rule = table(document.rule);
  if (!rule) {
    throw new RuleError("invalid_rule", "rule: the file has no [rule] table", { file }, [
      { path: "rule", message: "missing [rule] table" },
    ]);
  }
  const metadata = table(document.metadata) ?? {};
  const name = ruleDisplayName(rule, file);
  const reporting: FieldReporting = { keyPrefix: "rule.", locate };
  const keelwatch = readKeelwatchExtras(document.keelwatch, locate);
  refuseNonEql(rule, name, reporting);
  const mapping = {
    keelwatch,
    enabledByDefault: metadata.maturity !== "deprecated",
    ...(options.guide === undefined ? {} : { guide: options.guide }),
  };

  const query = positions.get("rule.query");
  return {
    rule: ruleFromElasticFields(rule, mapping, reporting, name),
    metadata: {
      creationDate: text(metadata.creation_date),
      updatedDate: text(metadata.updated_date),
      maturity: text(metadata.maturity),
      integration: strings(metadata.integration),
    },
    index: strings(rule.index),
    file,
    queryStart: query ? { line: query.valueLine, column: query.valueColumn } : null,
  };
}

function readToml(source: string, file: string): Table {
  try {
    return parseToml(source) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = (error.message.split("\n")[0] ?? error.message).replace(/^Invalid TOML document: /, "");
      throw new RuleError("toml_syntax", `invalid TOML: ${reason}`, {
        file,
        line: error.line,
        column: error.column,
      });
    }
    throw error;
  }
}

function table(value: unknown): Table | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Table) : null;
}
