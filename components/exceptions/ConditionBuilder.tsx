"use client";

import { inputClass, secondaryButtonClass } from "@/components/settings/fields";
import {
  type ExceptionOperator,
  MAX_CONDITIONS_PER_GROUP,
  MAX_GROUPS,
  OPERATOR_LABELS,
  OPERATOR_VALUE_SHAPE,
  OPERATORS,
} from "@/lib/exceptions/schema";
import type { ValueListView } from "./exceptions-queries";

import { type FieldErrors, newRow, type RowState } from "./form-state";

// Row controls sit side by side, so they drop the stacked form's margin and full width.
const controlClass = inputClass.replace("mt-1 block w-full ", "");

/**
 * Condition groups: the item matches when ANY group matches, a group when
 * ALL its rows do. Every control is labelled with its group and row so a
 * screen reader (and a test) can tell them apart; errors sit under the row.
 */
export function ConditionBuilder({
  groups,
  onChange,
  errors,
  valueLists,
}: {
  groups: RowState[][];
  onChange: (groups: RowState[][]) => void;
  errors: FieldErrors;
  valueLists: ValueListView[];
}) {
  const updateRow = (g: number, r: number, patch: Partial<RowState>) =>
    onChange(
      groups.map((group, gi) => (gi !== g ? group : group.map((row, ri) => (ri !== r ? row : { ...row, ...patch })))),
    );
  const removeRow = (g: number, r: number) => {
    const next = groups.map((group, gi) => (gi !== g ? group : group.filter((_, ri) => ri !== r)));
    onChange(
      next.filter((group) => group.length > 0).length > 0 ? next.filter((group) => group.length > 0) : [[newRow()]],
    );
  };
  const addRow = (g: number) => onChange(groups.map((group, gi) => (gi !== g ? group : [...group, newRow()])));
  const addGroup = () => onChange([...groups, [newRow()]]);
  const removeGroup = (g: number) => {
    const next = groups.filter((_, gi) => gi !== g);
    onChange(next.length > 0 ? next : [[newRow()]]);
  };

  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium">Conditions</legend>
      <p className="text-xs text-slate-500">
        An event is excepted when all conditions of any one group hold. Values are compared exactly (case-sensitive);
        “matches” takes * and ? wildcards.
      </p>
      {errors.groups ? <p className="text-xs text-red-700 dark:text-red-400">{errors.groups}</p> : null}
      {groups.map((group, g) => {
        const groupLabel = `Group ${g + 1}`;
        return (
          <div key={group[0]?.key ?? g}>
            {g > 0 ? (
              <p className="my-2 text-xs font-semibold uppercase tracking-wide text-slate-500" aria-hidden="true">
                or
              </p>
            ) : null}
            <section
              aria-label={groupLabel}
              className="rounded-md border border-slate-200 bg-slate-50 p-3 dark:border-slate-700 dark:bg-slate-900/40"
            >
              <div className="mb-2 flex items-center justify-between">
                <h3 className="text-sm font-semibold">{groupLabel}</h3>
                {groups.length > 1 ? (
                  <button type="button" className={secondaryButtonClass} onClick={() => removeGroup(g)}>
                    Remove group {g + 1}
                  </button>
                ) : null}
              </div>
              {errors[`groups.${g}`] ? (
                <p className="text-xs text-red-700 dark:text-red-400">{errors[`groups.${g}`]}</p>
              ) : null}
              <ul className="space-y-2">
                {group.map((row, r) => (
                  <ConditionRow
                    key={row.key}
                    row={row}
                    path={`groups.${g}.${r}`}
                    label={`group ${g + 1} condition ${r + 1}`}
                    first={r === 0}
                    errors={errors}
                    valueLists={valueLists}
                    onChange={(patch) => updateRow(g, r, patch)}
                    onRemove={() => removeRow(g, r)}
                  />
                ))}
              </ul>
              <button
                type="button"
                className={`${secondaryButtonClass} mt-2`}
                onClick={() => addRow(g)}
                disabled={group.length >= MAX_CONDITIONS_PER_GROUP}
              >
                Add condition to group {g + 1}
              </button>
            </section>
          </div>
        );
      })}
      <button type="button" className={secondaryButtonClass} onClick={addGroup} disabled={groups.length >= MAX_GROUPS}>
        Add OR group
      </button>
    </fieldset>
  );
}

function ConditionRow({
  row,
  path,
  label,
  first,
  errors,
  valueLists,
  onChange,
  onRemove,
}: {
  row: RowState;
  path: string;
  label: string;
  first: boolean;
  errors: FieldErrors;
  valueLists: ValueListView[];
  onChange: (patch: Partial<RowState>) => void;
  onRemove: () => void;
}) {
  const shape = OPERATOR_VALUE_SHAPE[row.operator];
  const id = path.replaceAll(".", "-");
  const rowErrors = (["field", "operator", "value", "values", "listId"] as const)
    .map((key) => ({ key, message: errors[`${path}.${key}`] }))
    .filter((entry): entry is { key: (typeof entry)["key"]; message: string } => Boolean(entry.message));
  const errorId = `${id}-errors`;
  const invalid = (key: string) => (errors[`${path}.${key}`] ? true : undefined);
  const describedBy = rowErrors.length > 0 ? errorId : undefined;

  return (
    <li>
      <div className="flex flex-wrap items-start gap-2">
        <span className="w-10 pt-3 text-xs font-semibold uppercase text-slate-500" aria-hidden="true">
          {first ? "" : "and"}
        </span>
        <input
          id={`${id}-field`}
          aria-label={`Field, ${label}`}
          className={`${controlClass} w-64 font-mono`}
          placeholder="process.executable"
          value={row.field}
          list="exception-field-suggestions"
          aria-invalid={invalid("field")}
          aria-describedby={describedBy}
          onChange={(event) => onChange({ field: event.target.value })}
        />
        <select
          aria-label={`Operator, ${label}`}
          className={`${controlClass} w-44`}
          value={row.operator}
          onChange={(event) => onChange({ operator: event.target.value as ExceptionOperator })}
        >
          {OPERATORS.map((operator) => (
            <option key={operator} value={operator}>
              {OPERATOR_LABELS[operator]}
            </option>
          ))}
        </select>
        {shape === "value" ? (
          <input
            aria-label={`Value, ${label}`}
            className={`${controlClass} min-w-48 flex-1 font-mono`}
            value={row.value}
            aria-invalid={invalid("value")}
            aria-describedby={describedBy}
            placeholder={row.operator === "matches" || row.operator === "does_not_match" ? "/opt/backup/*" : ""}
            onChange={(event) => onChange({ value: event.target.value })}
          />
        ) : null}
        {shape === "values" ? (
          <textarea
            aria-label={`Values (one per line), ${label}`}
            className={`${controlClass} min-w-48 flex-1 font-mono`}
            rows={3}
            value={row.valuesText}
            aria-invalid={invalid("values")}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ valuesText: event.target.value })}
          />
        ) : null}
        {shape === "list" ? (
          <select
            aria-label={`Value list, ${label}`}
            className={`${controlClass} min-w-48 flex-1`}
            value={row.listId}
            aria-invalid={invalid("listId")}
            aria-describedby={describedBy}
            onChange={(event) => onChange({ listId: event.target.value })}
          >
            <option value="">Choose a value list…</option>
            {valueLists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name} ({list.valueCount.toLocaleString()} values)
              </option>
            ))}
          </select>
        ) : null}
        <button type="button" className={secondaryButtonClass} onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      </div>
      {rowErrors.length > 0 ? (
        <ul id={errorId} className="ml-12 mt-1 text-xs text-red-700 dark:text-red-400">
          {rowErrors.map((error) => (
            <li key={error.key}>{error.message}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
