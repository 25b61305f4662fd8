"use client";

import { useState } from "react";
import { buttonClass, dangerButtonClass, inputClass, secondaryButtonClass } from "@/components/settings/fields";
import {
  ApiError,
  useCreateExceptionList,
  useDeleteExceptionList,
  useExceptionLists,
  useImportExceptions,
  useRuleOptions,
  useUploadValueList,
  useValueLists,
} from "./exceptions-queries";
import { countOf } from "./format";

const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

/** Shared exception lists, value lists and NDJSON import. */
export function ListsSection() {
  return (
    <div className="mt-10 grid gap-8 lg:grid-cols-2">
      <SharedLists />
      <div className="space-y-8">
        <ValueLists />
        <ImportExceptions />
      </div>
    </div>
  );
}

function fieldError(error: Error | null, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrors[field] : undefined;
}

function SharedLists() {
  const lists = useExceptionLists();
  const rules = useRuleOptions();
  const create = useCreateExceptionList();
  const remove = useDeleteExceptionList();
  const [name, setName] = useState("");
  const [ruleIds, setRuleIds] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const nameError = fieldError(create.error, "name");

  return (
    <section aria-labelledby="shared-lists-title">
      <h2 id="shared-lists-title" className="text-lg font-semibold">
        Shared exception lists
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        A list's items apply to every rule it is attached to.
      </p>
      <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm dark:divide-slate-700 dark:border-slate-700 dark:bg-slate-900">
        {(lists.data ?? []).length === 0 ? <li className="px-3 py-3 text-slate-500">No shared lists yet.</li> : null}
        {(lists.data ?? []).map((list) => (
          <li key={list.id} className="flex items-start justify-between gap-3 px-3 py-2">
            <div>
              <div className="font-medium">{list.name}</div>
              <div className="text-xs text-slate-500">
                {list.itemCount} item{list.itemCount === 1 ? "" : "s"} · rules:{" "}
                {list.rules.length > 0 ? list.rules.map((rule) => rule.name).join(", ") : "none attached"}
              </div>
            </div>
            {confirming === list.id ? (
              <span className="flex gap-2">
                <button
                  type="button"
                  className={dangerButtonClass}
                  onClick={() => remove.mutate(list.id, { onSuccess: () => setConfirming(null) })}
                >
                  Delete list and its {list.itemCount} item{list.itemCount === 1 ? "" : "s"}
                </button>
                <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(null)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button
                type="button"
                className={secondaryButtonClass}
                aria-label={`Delete list ${list.name}`}
                onClick={() => setConfirming(list.id)}
              >
                Delete
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        aria-label="New shared list"
        className="mt-3 space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { name, ruleIds },
            {
              onSuccess: () => {
                setName("");
                setRuleIds([]);
              },
            },
          );
        }}
      >
        <label htmlFor="new-list-name" className="block text-sm font-medium">
          New list name
        </label>
        <input
          id="new-list-name"
          className={inputClass}
          value={name}
          aria-invalid={nameError ? true : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        <label htmlFor="new-list-rules" className="block text-sm font-medium">
          Attach to rules
        </label>
        <select
          id="new-list-rules"
          multiple
          className={inputClass}
          value={ruleIds}
          onChange={(event) => setRuleIds([...event.target.selectedOptions].map((option) => option.value))}
        >
          {(rules.data ?? []).map((rule) => (
            <option key={rule.id} value={rule.id}>
              {rule.name}
            </option>
          ))}
        </select>
        {create.error ? (
          <p role="alert" className="text-xs text-red-700">
            {create.error.message}
          </p>
        ) : null}
        <button type="submit" className={buttonClass} disabled={create.isPending || name.trim() === ""}>
          Create list
        </button>
      </form>
    </section>
  );
}

function ValueLists() {
  const lists = useValueLists();
  const upload = useUploadValueList();
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  return (
    <section aria-labelledby="value-lists-title">
      <h2 id="value-lists-title" className="text-lg font-semibold">
        Value lists
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Text files with one value per line, for “is in list” conditions (at most 100,000 values).
      </p>
      <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm dark:divide-slate-700 dark:border-slate-700 dark:bg-slate-900">
        {(lists.data ?? []).length === 0 ? <li className="px-3 py-3 text-slate-500">No value lists yet.</li> : null}
        {(lists.data ?? []).map((list) => (
          <li key={list.id} className="px-3 py-2">
            <span className="font-medium">{list.name}</span>{" "}
            <span className="text-xs text-slate-500">{list.valueCount.toLocaleString()} values</span>
          </li>
        ))}
      </ul>
      <form
        aria-label="Upload value list"
        className="mt-3 space-y-2"
        onSubmit={async (event) => {
          event.preventDefault();
          setLocalError(null);
          if (!file) return setLocalError("Choose a text file.");
          if (file.size > MAX_UPLOAD_BYTES) return setLocalError("The file is larger than 8 MB.");
          upload.mutate(
            { name, text: await file.text() },
            {
              onSuccess: () => {
                setName("");
                setFile(null);
                (event.target as HTMLFormElement).reset();
              },
            },
          );
        }}
      >
        <label htmlFor="value-list-name" className="block text-sm font-medium">
          List name
        </label>
        <input id="value-list-name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="value-list-file" className="block text-sm font-medium">
          File
        </label>
        <input
          id="value-list-file"
          type="file"
          accept=".txt,text/plain"
          className="text-sm"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        {localError || upload.error ? (
          <p role="alert" className="text-xs text-red-700">
            {localError ?? upload.error?.message}
          </p>
        ) : null}
        <button type="submit" className={buttonClass} disabled={upload.isPending || name.trim() === ""}>
          Upload
        </button>
      </form>
    </section>
  );
}

function ImportExceptions() {
  const importer = useImportExceptions();
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title" className="text-lg font-semibold">
        Import
      </h2>
      <label htmlFor="import-file" className="block text-sm">
        NDJSON exported from Keelwatch
      </label>
      <input
        id="import-file"
        type="file"
        accept=".ndjson,.jsonl,application/x-ndjson"
        className="mt-1 text-sm"
        onChange={async (event) => {
          const file = event.target.files?.[0];
          if (file) importer.mutate(await file.text());
          event.target.value = "";
        }}
      />
      {importer.data ? (
        <div role="status" className="mt-2 text-sm">
          {`Imported ${countOf(importer.data.itemsCreated, "item")}, ${countOf(importer.data.listsCreated, "new list")}, ${countOf(importer.data.listsUpdated, "updated list")}.`}
          {importer.data.itemsUnchanged > 0
            ? ` ${countOf(importer.data.itemsUnchanged, "item")} already present, left as they were.`
            : ""}
          {importer.data.errors.length > 0 ? (
            <ul className="mt-1 list-disc pl-5 text-red-700">
              {importer.data.errors.slice(0, 50).map((error) => (
                <li key={error.line}>
                  Line {error.line}: {error.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {importer.error ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {importer.error.message}
        </p>
      ) : null}
    </section>
  );
}
