"use client";

import { type ChangeEvent, type FormEvent, useState } from "react";
import { buttonClass, FormError, formatDate, inputClass, secondaryButtonClass } from "./fields";
import { useFieldMapping, useSaveFieldMapping } from "./settings-queries";

/**
 * The Elasticsearch mapping (GET <index>/_mapping) that detection at ingest,
 * rule previews and hunts compare fields by, over the built-in ECS types.
 * Pasted or read from a file; the server validates it and says what is wrong.
 */
export function FieldMappingSection() {
  const current = useFieldMapping();
  const save = useSaveFieldMapping();
  const [text, setText] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const shown = text ?? (current.data?.mapping ? JSON.stringify(current.data.mapping, null, 2) : "");

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    let mapping: unknown;
    try {
      mapping = JSON.parse(shown);
    } catch (error) {
      setParseError(`The mapping is not JSON: ${(error as Error).message}`);
      return;
    }
    setParseError(null);
    save.mutate(mapping, { onSuccess: () => setText(null) });
  }

  return (
    <section aria-labelledby="field-mapping-heading" className="max-w-3xl space-y-4">
      <div>
        <h2 id="field-mapping-heading" className="text-lg font-semibold">
          Field mapping
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Fields compare by type: ECS fields by their ECS type, and the fields of this Elasticsearch mapping (the JSON
          of <code>GET &lt;index&gt;/_mapping</code>) by theirs, for detection at ingest, rule previews and hunts: dates
          against date strings, IP fields against CIDR blocks, versions in version order, <code>null_value</code>.
        </p>
        <p className="mt-2 text-sm" data-testid="field-mapping-status">
          {current.data?.mapping
            ? `${current.data.fields} fields typed by the mapping, saved ${formatDate(current.data.updatedAt)}.`
            : "No mapping: ECS types only."}
        </p>
      </div>
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm font-medium" htmlFor="field-mapping-json">
          Mapping JSON
        </label>
        <textarea
          id="field-mapping-json"
          className={`${inputClass} h-72 font-mono text-xs`}
          value={shown}
          onChange={(event) => setText(event.target.value)}
          spellCheck={false}
        />
        <div className="flex flex-wrap items-center gap-3">
          <label className={secondaryButtonClass}>
            Read a file…
            <input type="file" accept=".json,application/json" className="sr-only" onChange={readFile} />
          </label>
          <button type="submit" className={buttonClass} disabled={save.isPending || shown.trim() === ""}>
            Save mapping
          </button>
          {current.data?.mapping ? (
            <button
              type="button"
              className={secondaryButtonClass}
              disabled={save.isPending}
              onClick={() => save.mutate(null, { onSuccess: () => setText(null) })}
            >
              Remove mapping
            </button>
          ) : null}
        </div>
        {parseError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {parseError}
          </p>
        ) : null}
        <FormError error={save.error} shownFields={[]} />
      </form>
    </section>
  );
}
