import {
  type ConditionGroups,
  type ExceptionCondition,
  type ExceptionItemInput,
  ExceptionItemInputSchema,
  type ExceptionOperator,
  issuePath,
  OPERATOR_VALUE_SHAPE,
} from "@/lib/exceptions/schema";

/**
 * The exception form's state and its translation to and from the API shape.
 * Rows keep every input the analyst typed (switching operator keeps the
 * text), and only the inputs the operator uses are sent.
 */

export interface RowState {
  key: string;
  field: string;
  operator: ExceptionOperator;
  value: string;
  /** "is one of" values, one per line */
  valuesText: string;
  listId: string;
}

export interface FormState {
  name: string;
  description: string;
  /** "rule:<id>" or "list:<id>", "" when not chosen */
  scope: string;
  groups: RowState[][];
  /** yyyy-mm-dd, "" for no expiry */
  expiresOn: string;
  comment: string;
  closeMatching: boolean;
}

let counter = 0;
export function newRow(partial: Partial<Omit<RowState, "key">> = {}): RowState {
  counter += 1;
  return { key: `row-${counter}`, field: "", operator: "is", value: "", valuesText: "", listId: "", ...partial };
}

export function emptyForm(): FormState {
  return {
    name: "",
    description: "",
    scope: "",
    groups: [[newRow()]],
    expiresOn: "",
    comment: "",
    closeMatching: false,
  };
}

export function rowFromCondition(condition: ExceptionCondition): RowState {
  return newRow({
    field: condition.field,
    operator: condition.operator,
    value: condition.value ?? "",
    valuesText: (condition.values ?? []).join("\n"),
    listId: condition.listId ?? "",
  });
}

export function rowToCondition(row: RowState): ExceptionCondition {
  const base = { field: row.field.trim(), operator: row.operator };
  switch (OPERATOR_VALUE_SHAPE[row.operator]) {
    case "value":
      return { ...base, value: row.value };
    case "values":
      return {
        ...base,
        values: row.valuesText
          .split("\n")
          .map((line) => line.trim())
          .filter((line) => line !== ""),
      };
    case "list":
      return { ...base, listId: row.listId };
    case "none":
      return base;
  }
}

export function scopeOf(scope: string): ExceptionItemInput["scope"] | null {
  if (scope.startsWith("rule:")) return { ruleId: scope.slice(5) };
  if (scope.startsWith("list:")) return { listId: scope.slice(5) };
  return null;
}

/** The request body the form stands for (not yet validated). */
export function toInput(form: FormState): Record<string, unknown> {
  return {
    name: form.name,
    ...(form.description.trim() ? { description: form.description } : {}),
    scope: scopeOf(form.scope) ?? {},
    groups: form.groups.map((group) => group.map(rowToCondition)),
    ...(form.expiresOn ? { expiresAt: `${form.expiresOn}T00:00:00.000Z` } : {}),
    ...(form.comment.trim() ? { comment: form.comment } : {}),
  };
}

export type FieldErrors = Record<string, string>;

/** Validates in the browser with the server's schema; errors keyed by the same paths the API uses. */
export function validateForm(
  form: FormState,
): { ok: true; input: ExceptionItemInput } | { ok: false; errors: FieldErrors } {
  const parsed = ExceptionItemInputSchema.safeParse(toInput(form));
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    let path = issuePath(issue.path);
    // The scope is one control, whichever branch of the union failed.
    if (path.startsWith("scope")) path = "scope";
    errors[path] ??=
      scopeOf(form.scope) === null && path === "scope" ? "Choose a rule or a shared list" : issue.message;
  }
  return { ok: false, errors };
}

/** The form for an existing item. */
export function formFromItem(item: {
  name: string;
  description: string;
  scope: { kind: "rule"; ruleId: string } | { kind: "list"; listId: string };
  groups: ConditionGroups;
  expiresAt: string | null;
}): FormState {
  return {
    name: item.name,
    description: item.description,
    scope: item.scope.kind === "rule" ? `rule:${item.scope.ruleId}` : `list:${item.scope.listId}`,
    groups: item.groups.map((group) => group.map(rowFromCondition)),
    expiresOn: item.expiresAt ? item.expiresAt.slice(0, 10) : "",
    comment: "",
    closeMatching: false,
  };
}
