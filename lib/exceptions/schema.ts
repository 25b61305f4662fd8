import { z } from "zod";

/**
 * The shape of a false-positive exception, validated at every edge (API body,
 * stored JSON, NDJSON import). Conditions follow Elastic's rule-exception
 * model: an item holds groups, a group holds conditions; the item matches an
 * event when ANY group matches, and a group matches when ALL its conditions do.
 */

export const OPERATORS = [
  "is",
  "is_not",
  "is_one_of",
  "is_not_one_of",
  "exists",
  "does_not_exist",
  "matches",
  "does_not_match",
  "in_list",
  "not_in_list",
] as const;
export const OperatorSchema = z.enum(OPERATORS);
export type ExceptionOperator = z.infer<typeof OperatorSchema>;

/** Words people read, in the order the form offers them. */
export const OPERATOR_LABELS: Record<ExceptionOperator, string> = {
  is: "is",
  is_not: "is not",
  is_one_of: "is one of",
  is_not_one_of: "is not one of",
  exists: "exists",
  does_not_exist: "does not exist",
  matches: "matches",
  does_not_match: "does not match",
  in_list: "is in list",
  not_in_list: "is not in list",
};

/** Which value each operator takes; the form and the refinements below both follow it. */
export type ValueShape = "value" | "values" | "list" | "none";
export const OPERATOR_VALUE_SHAPE: Record<ExceptionOperator, ValueShape> = {
  is: "value",
  is_not: "value",
  matches: "value",
  does_not_match: "value",
  is_one_of: "values",
  is_not_one_of: "values",
  in_list: "list",
  not_in_list: "list",
  exists: "none",
  does_not_exist: "none",
};

/**
 * An ECS field name: dot-separated segments of letters, digits, `_`, `-` and
 * `@` (for `@timestamp`). No empty segment, no leading or trailing dot.
 */
export const FIELD_NAME = /^[A-Za-z0-9_@-]+(?:\.[A-Za-z0-9_@-]+)*$/;

export const MAX_VALUES = 1_000;
const MAX_VALUE_LENGTH = 4_096;

const FieldSchema = z
  .string()
  .trim()
  .min(1, "Field is required")
  .max(256, "Field is longer than 256 characters")
  .regex(FIELD_NAME, "Field must be a dotted ECS name such as process.executable (letters, digits, _, -, @)");

export const ExceptionConditionSchema = z
  .object({
    field: FieldSchema,
    operator: OperatorSchema,
    value: z.string().max(MAX_VALUE_LENGTH, `Value is longer than ${MAX_VALUE_LENGTH} characters`).optional(),
    values: z
      .array(z.string().max(MAX_VALUE_LENGTH, `Value is longer than ${MAX_VALUE_LENGTH} characters`))
      .max(MAX_VALUES, `At most ${MAX_VALUES} values`)
      .optional(),
    listId: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((condition, ctx) => {
    const shape = OPERATOR_VALUE_SHAPE[condition.operator];
    const label = OPERATOR_LABELS[condition.operator];
    const refuse = (path: "value" | "values" | "listId", message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });

    if (shape === "value") {
      if (condition.value === undefined || condition.value === "") {
        refuse("value", `"${label}" needs a value`);
      }
    } else if (condition.value !== undefined) {
      refuse("value", `"${label}" takes no single value`);
    }

    if (shape === "values") {
      if (!condition.values || condition.values.length === 0) {
        refuse("values", `"${label}" needs at least one value`);
      } else if (condition.values.some((v) => v === "")) {
        refuse("values", "Values must not be empty");
      }
    } else if (condition.values !== undefined) {
      refuse("values", `"${label}" takes no list of values`);
    }

    if (shape === "list") {
      if (!condition.listId) refuse("listId", `"${label}" needs a value list`);
    } else if (condition.listId !== undefined) {
      refuse("listId", `"${label}" takes no value list`);
    }
  });
export type ExceptionCondition = z.infer<typeof ExceptionConditionSchema>;

export const MAX_GROUPS = 20;
export const MAX_CONDITIONS_PER_GROUP = 20;

export const ConditionGroupsSchema = z
  .array(
    z
      .array(ExceptionConditionSchema)
      .min(1, "Each group needs at least one condition")
      .max(MAX_CONDITIONS_PER_GROUP, `A group holds at most ${MAX_CONDITIONS_PER_GROUP} conditions`),
  )
  .min(1, "An exception needs at least one condition group")
  .max(MAX_GROUPS, `An exception holds at most ${MAX_GROUPS} groups`);
export type ConditionGroups = z.infer<typeof ConditionGroupsSchema>;

/** Rule-scoped (belongs to one rule) or in a shared list attached to many rules. */
export const ExceptionScopeSchema = z.union([
  z.object({ ruleId: z.string().trim().min(1, "Rule is required").max(200) }).strict(),
  z.object({ listId: z.string().trim().min(1, "List is required").max(100) }).strict(),
]);
export type ExceptionScope = z.infer<typeof ExceptionScopeSchema>;

export const ExceptionItemInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(200, "Name is longer than 200 characters"),
  description: z.string().max(4_000, "Description is longer than 4,000 characters").optional(),
  scope: ExceptionScopeSchema,
  groups: ConditionGroupsSchema,
  expiresAt: z.iso.datetime({ offset: true, message: "Expiry must be an ISO-8601 date-time" }).optional(),
  comment: z.string().trim().max(4_000, "Comment is longer than 4,000 characters").optional(),
});
export type ExceptionItemInput = z.infer<typeof ExceptionItemInputSchema>;

/** A field path in an error message, the way the form and API name it: groups.0.1.value */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** Every value list a condition set refers to, so a caller can load only those. */
export function referencedListIds(groups: ConditionGroups): string[] {
  const ids = new Set<string>();
  for (const group of groups) {
    for (const condition of group) {
      if (condition.listId) ids.add(condition.listId);
    }
  }
  return [...ids];
}

/** A PATCH of an item: any field of the input; `expiresAt: null` removes the expiry; `comment` adds one. */
export const ExceptionItemPatchSchema = z
  .object({
    name: ExceptionItemInputSchema.shape.name.optional(),
    description: z.string().max(4_000, "Description is longer than 4,000 characters").optional(),
    scope: ExceptionScopeSchema.optional(),
    groups: ConditionGroupsSchema.optional(),
    expiresAt: z.iso.datetime({ offset: true, message: "Expiry must be an ISO-8601 date-time" }).nullable().optional(),
    comment: z.string().trim().min(1, "Comment must not be empty").max(4_000).optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: "Name at least one field to change" });
export type ExceptionItemPatch = z.infer<typeof ExceptionItemPatchSchema>;

const RuleIdsSchema = z.array(z.string().trim().min(1).max(200)).max(1_000, "At most 1,000 rules");

/** A shared exception list and the rules it is attached to. */
export const ExceptionListInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(200, "Name is longer than 200 characters"),
  description: z.string().max(4_000, "Description is longer than 4,000 characters").optional(),
  ruleIds: RuleIdsSchema.optional(),
});
export type ExceptionListInput = z.infer<typeof ExceptionListInputSchema>;

/** `ruleIds`, when given, replaces the set of attached rules. */
export const ExceptionListPatchSchema = ExceptionListInputSchema.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: "Name at least one field to change" });
export type ExceptionListPatch = z.infer<typeof ExceptionListPatchSchema>;

export const MAX_VALUE_LIST_ITEMS = 100_000;

/** A value list upload: a name and the text, one value per line. */
export const ValueListInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(200, "Name is longer than 200 characters"),
  text: z.string(),
});
