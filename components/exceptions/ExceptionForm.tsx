"use client";

import { useState } from "react";
import { buttonClass, inputClass, secondaryButtonClass, TextField } from "@/components/settings/fields";
import { PREFILL_FIELDS } from "@/lib/exceptions/prefill";
import { ConditionBuilder } from "./ConditionBuilder";
import {
  ApiError,
  type ExceptionItemView,
  useCreateException,
  useExceptionLists,
  usePreviewException,
  useRuleOptions,
  useUpdateException,
  useValueLists,
} from "./exceptions-queries";
import { type FieldErrors, type FormState, validateForm } from "./form-state";
import { utcTime } from "./format";
import { PreviewPanel } from "./PreviewPanel";

const PREVIEW_DAYS = [1, 7, 30, 90] as const;

// Suggestions only: any dotted ECS name is accepted.
const FIELD_SUGGESTIONS = [
  ...PREFILL_FIELDS,
  "process.name",
  "process.command_line",
  "process.parent.name",
  "container.name",
  "container.image.tag",
  "host.name",
  "file.path",
  "destination.ip",
  "destination.port",
  "dns.question.name",
];

/**
 * Create or edit one exception item. "Preview impact" runs the unsaved
 * conditions against stored alerts and events first; saving can also close
 * the open alerts the item covers.
 */
export function ExceptionForm({
  initial,
  item,
  onSaved,
  onCancel,
}: {
  initial: FormState;
  /** Set when editing an existing item. */
  item?: ExceptionItemView;
  onSaved: (result: { item: ExceptionItemView; closedAlerts: number }) => void;
  onCancel?: () => void;
}) {
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [previewDays, setPreviewDays] = useState<number>(7);
  const rules = useRuleOptions();
  const lists = useExceptionLists();
  const valueLists = useValueLists();
  const preview = usePreviewException();
  const create = useCreateException();
  const update = useUpdateException();
  const saving = create.isPending || update.isPending;
  const saveError = create.error ?? update.error;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    // Conditions changed since the last preview: its numbers no longer hold.
    if (key === "groups" || key === "scope") preview.reset();
  };

  const validated = () => {
    const result = validateForm(form);
    setErrors(result.ok ? {} : result.errors);
    return result;
  };

  const runPreview = () => {
    const result = validated();
    if (!result.ok) return;
    preview.mutate(
      { scope: result.input.scope, groups: result.input.groups, days: previewDays },
      { onError: (error) => error instanceof ApiError && setErrors(error.fieldErrors) },
    );
  };

  const save = () => {
    const result = validated();
    if (!result.ok) return;
    const onError = (error: Error) => error instanceof ApiError && setErrors(error.fieldErrors);
    if (item) {
      const { comment, expiresAt, ...rest } = result.input;
      update.mutate(
        {
          id: item.id,
          patch: {
            ...rest,
            description: rest.description ?? "",
            expiresAt: expiresAt ?? null,
            ...(comment ? { comment } : {}),
            ...(form.closeMatching ? { closeMatching: true } : {}),
          },
        },
        { onSuccess: onSaved, onError },
      );
    } else {
      create.mutate({ ...result.input, closeMatching: form.closeMatching }, { onSuccess: onSaved, onError });
    }
  };

  const scopeError = errors.scope ?? errors["scope.ruleId"] ?? errors["scope.listId"];

  return (
    <form
      aria-label={item ? `Edit exception ${item.name}` : "New exception"}
      className="space-y-5"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <datalist id="exception-field-suggestions">
        {FIELD_SUGGESTIONS.map((field) => (
          <option key={field} value={field} />
        ))}
      </datalist>
      <TextField
        id="exception-name"
        label="Name"
        value={form.name}
        onChange={(v) => set("name", v)}
        error={errors.name}
        required
      />
      <div>
        <label htmlFor="exception-description" className="block text-sm font-medium">
          Description
        </label>
        <textarea
          id="exception-description"
          className={inputClass}
          rows={2}
          value={form.description}
          aria-invalid={errors.description ? true : undefined}
          onChange={(event) => set("description", event.target.value)}
        />
      </div>
      <div>
        <label htmlFor="exception-scope" className="block text-sm font-medium">
          Applies to
        </label>
        <select
          id="exception-scope"
          className={inputClass}
          value={form.scope}
          aria-invalid={scopeError ? true : undefined}
          aria-describedby={scopeError ? "exception-scope-error" : undefined}
          onChange={(event) => set("scope", event.target.value)}
        >
          <option value="">Choose a rule or a shared list…</option>
          <optgroup label="Rule">
            {(rules.data ?? []).map((rule) => (
              <option key={rule.id} value={`rule:${rule.id}`}>
                {rule.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="Shared exception list">
            {(lists.data ?? []).map((list) => (
              <option key={list.id} value={`list:${list.id}`}>
                {list.name} ({list.rules.length} rule{list.rules.length === 1 ? "" : "s"})
              </option>
            ))}
          </optgroup>
        </select>
        {scopeError ? (
          <p id="exception-scope-error" className="mt-1 text-xs text-red-700 dark:text-red-400">
            {scopeError}
          </p>
        ) : null}
      </div>

      <ConditionBuilder
        groups={form.groups}
        onChange={(groups) => set("groups", groups)}
        errors={errors}
        valueLists={valueLists.data ?? []}
      />

      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="exception-expires" className="block text-sm font-medium">
            Expires on (UTC, optional)
          </label>
          <input
            id="exception-expires"
            type="date"
            className={inputClass}
            value={form.expiresOn}
            aria-invalid={errors.expiresAt ? true : undefined}
            aria-describedby={errors.expiresAt ? "exception-expires-error" : "exception-expires-hint"}
            onChange={(event) => set("expiresOn", event.target.value)}
          />
          <p id="exception-expires-hint" className="mt-1 text-xs text-slate-500">
            From that day on the exception stops applying and is shown as expired.
          </p>
          {errors.expiresAt ? (
            <p id="exception-expires-error" className="mt-1 text-xs text-red-700 dark:text-red-400">
              {errors.expiresAt}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="exception-comment" className="block text-sm font-medium">
            Comment (why this is a false positive)
          </label>
          <textarea
            id="exception-comment"
            className={inputClass}
            rows={2}
            value={form.comment}
            aria-invalid={errors.comment ? true : undefined}
            onChange={(event) => set("comment", event.target.value)}
          />
        </div>
      </div>

      {item && item.comments.length > 0 ? (
        <section aria-label="Comments" className="text-sm">
          <h3 className="font-medium">Comments</h3>
          <ul className="mt-1 space-y-1">
            {item.comments.map((comment) => (
              <li key={comment.id}>
                <span className="text-slate-500">
                  {comment.author?.name ?? "someone"}, {utcTime(comment.createdAt)}:
                </span>{" "}
                {comment.body}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="flex flex-wrap items-end gap-3 border-t border-slate-200 pt-4 dark:border-slate-700">
        <div>
          <label htmlFor="exception-preview-days" className="block text-sm font-medium">
            Preview window
          </label>
          <select
            id="exception-preview-days"
            className={inputClass}
            value={previewDays}
            onChange={(event) => {
              setPreviewDays(Number(event.target.value));
              preview.reset();
            }}
          >
            {PREVIEW_DAYS.map((days) => (
              <option key={days} value={days}>
                last {days} day{days === 1 ? "" : "s"}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className={secondaryButtonClass} onClick={runPreview} disabled={preview.isPending}>
          {preview.isPending ? "Previewing…" : "Preview impact"}
        </button>
      </div>
      {preview.error && !(preview.error instanceof ApiError && Object.keys(preview.error.fieldErrors).length > 0) ? (
        <p role="alert" className="text-sm text-red-700">
          {preview.error.message}
        </p>
      ) : null}
      {preview.data ? <PreviewPanel preview={preview.data} /> : null}

      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={form.closeMatching}
          onChange={(event) => set("closeMatching", event.target.checked)}
        />
        Close matching open alerts (reason: false positive)
      </label>

      {saveError ? (
        <div
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {saveError instanceof ApiError && Object.keys(saveError.fieldErrors).length > 0
            ? "Some fields need attention; see the messages above."
            : saveError.message}
        </div>
      ) : null}
      {Object.keys(errors).length > 0 && !saveError ? (
        <p role="alert" className="text-sm text-red-700">
          Some fields need attention; see the messages above.
        </p>
      ) : null}

      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={saving}>
          {saving ? "Saving…" : item ? "Save changes" : "Create exception"}
        </button>
        {onCancel ? (
          <button type="button" className={secondaryButtonClass} onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
