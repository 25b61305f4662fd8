/**
 * Evaluates false-positive exceptions against events, compiled once per item.
 *
 * Semantics follow how Elastic's detection engine applies rule exceptions
 * (Kibana turns each entry into an Elasticsearch filter clause and wraps the
 * whole item in `must_not`):
 * - `is` / `is one of` are term matches on keyword fields: exact and
 *   case-sensitive. Numbers and booleans compare by their string form
 *   (`1`, `true`), as a keyword field indexes them.
 * - `matches` is a plain Elasticsearch `wildcard` query without
 *   `case_insensitive`, so it is case-sensitive too; `*` is any run of
 *   characters, `?` one character, and a backslash escapes the next character
 *   (Elastic's docs: `\\` for a literal backslash, `\*`, `\?`).
 * - A multi-valued field satisfies a positive operator when ANY value does.
 * - Every negative operator (`is not`, `is not one of`, `does not match`,
 *   `does not exist`, `is not in list`) is Elastic's "excluded" form: the
 *   negation of the positive clause. So `is not X` holds when NO value equals
 *   X, including when the field is missing; `["a","b"] is not "a"` is false.
 * - A missing field is absent, null, `[]`, or an object (ECS lookups as in lib/eql).
 *
 * One deliberate departure: a condition naming a value list that is not
 * loaded (deleted, or not passed in) never matches, for either list
 * operator. An exception that cannot be evaluated must not hide detections.
 */
import { compileFieldGetter, type FieldValue } from "../eql/values";
import { compileWildcard } from "../eql/wildcard";
import type { ConditionGroups, ExceptionCondition } from "./schema";

export type ExceptionEvent = Record<string, unknown>;
export type EventPredicate = (event: ExceptionEvent) => boolean;
export type ValueLists = ReadonlyMap<string, ReadonlySet<string>>;

/** What the matcher needs of a stored exception item. */
export interface MatchableItem {
  id: string;
  name: string;
  /** Set for a rule-scoped item. */
  ruleId: string | null;
  /** Set for an item of a shared exception list. */
  listId: string | null;
  groups: ConditionGroups;
  expiresAt: Date | null;
}

/**
 * Everything needed to decide suppression for a set of rules: what
 * `loadActiveExceptions` in lib/db/exceptions.ts returns.
 */
export interface ActiveExceptions {
  items: MatchableItem[];
  /** Which shared exception lists are attached to which rules. */
  attachments: ReadonlyArray<{ ruleId: string; listId: string }>;
  /** Value lists referenced by `in_list` / `not_in_list` conditions, by list id. */
  valueLists: ValueLists;
}

export interface ExceptionMatch {
  itemId: string;
  name: string;
}

export interface CompiledExceptions {
  /** The first active item covering `event` for `ruleId`, or null. */
  match(ruleId: string, event: ExceptionEvent): ExceptionMatch | null;
  /** How many active items apply to `ruleId` (0 lets callers skip the work). */
  countFor(ruleId: string): number;
}

/** Field values as the strings a keyword field would hold. */
function forEachString(value: FieldValue, test: (text: string) => boolean): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) {
    for (const element of value as readonly (string | number | boolean)[]) {
      if (test(String(element))) return true;
    }
    return false;
  }
  return test(String(value));
}

function positive(condition: ExceptionCondition, valueLists: ValueLists): EventPredicate | "unevaluable" {
  const get = compileFieldGetter(condition.field.split("."));
  switch (condition.operator) {
    case "is":
    case "is_not": {
      const expected = condition.value ?? "";
      return (event) => forEachString(get(event), (text) => text === expected);
    }
    case "is_one_of":
    case "is_not_one_of": {
      const expected = new Set(condition.values ?? []);
      return (event) => forEachString(get(event), (text) => expected.has(text));
    }
    case "exists":
    case "does_not_exist":
      return (event) => get(event) !== undefined;
    case "matches":
    case "does_not_match": {
      const test = compileWildcard(condition.value ?? "", { caseInsensitive: false, backslashEscapes: true });
      return (event) => forEachString(get(event), test);
    }
    case "in_list":
    case "not_in_list": {
      const list = condition.listId === undefined ? undefined : valueLists.get(condition.listId);
      if (list === undefined) return "unevaluable";
      return (event) => forEachString(get(event), (text) => list.has(text));
    }
  }
}

const NEGATIVE = new Set(["is_not", "is_not_one_of", "does_not_exist", "does_not_match", "not_in_list"]);
const NEVER: EventPredicate = () => false;

/** One condition as a predicate. */
export function compileCondition(condition: ExceptionCondition, valueLists: ValueLists = new Map()): EventPredicate {
  const test = positive(condition, valueLists);
  if (test === "unevaluable") return NEVER;
  return NEGATIVE.has(condition.operator) ? (event) => !test(event) : test;
}

/** An item's groups as one predicate: any group whose conditions all hold. */
export function compileExceptionItem(item: Pick<MatchableItem, "groups">, valueLists: ValueLists): EventPredicate {
  const groups = item.groups.map((group) => group.map((condition) => compileCondition(condition, valueLists)));
  return (event) => {
    for (const group of groups) {
      let all = true;
      for (const test of group) {
        if (!test(event)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  };
}

/** Whether an item still applies at `now`: an item expires at its expiry instant. */
export function isActive(item: Pick<MatchableItem, "expiresAt">, now: Date): boolean {
  return item.expiresAt === null || item.expiresAt.getTime() > now.getTime();
}

interface CompiledItem {
  match: ExceptionMatch;
  test: EventPredicate;
}

/**
 * Compiles every active item once and answers, per rule, whether an event is
 * covered. Items expired at `now` (default: the time of the call) are left out.
 */
export function compileExceptions(active: ActiveExceptions, options: { now?: Date } = {}): CompiledExceptions {
  const now = options.now ?? new Date();
  const byRule = new Map<string, CompiledItem[]>();
  const byList = new Map<string, CompiledItem[]>();
  for (const item of active.items) {
    if (!isActive(item, now)) continue;
    const compiled: CompiledItem = {
      match: { itemId: item.id, name: item.name },
      test: compileExceptionItem(item, active.valueLists),
    };
    const key = item.ruleId ?? item.listId;
    const index = item.ruleId !== null ? byRule : byList;
    if (key === null) continue;
    const bucket = index.get(key);
    if (bucket) bucket.push(compiled);
    else index.set(key, [compiled]);
  }

  // Per rule: its own items, then those of each attached list, once each.
  const perRule = new Map<string, CompiledItem[]>();
  for (const [ruleId, items] of byRule) perRule.set(ruleId, [...items]);
  const seen = new Set<string>();
  for (const { ruleId, listId } of active.attachments) {
    const key = `${ruleId}\u0000${listId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const items = byList.get(listId);
    if (!items) continue;
    const bucket = perRule.get(ruleId);
    if (bucket) bucket.push(...items);
    else perRule.set(ruleId, [...items]);
  }

  return {
    match(ruleId, event) {
      const items = perRule.get(ruleId);
      if (!items) return null;
      for (const item of items) {
        if (item.test(event)) return item.match;
      }
      return null;
    },
    countFor(ruleId) {
      return perRule.get(ruleId)?.length ?? 0;
    },
  };
}
