"use client";

import { type FormEvent, useEffect, useRef, useState } from "react";
import { type ImportReport, useImportRules } from "./rules-queries";

const STATUS_STYLES: Record<string, string> = {
  created: "text-emerald-700 dark:text-emerald-400",
  updated: "text-sky-700 dark:text-sky-400",
  unchanged: "text-slate-500",
  refused: "text-red-700 dark:text-red-400",
};

/** Pick an Elastic TOML rule or a Kibana NDJSON export, send it, and see what happened to each rule. */
export function ImportRulesDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const upload = useImportRules();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) upload.mutate(file);
  }

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="import-rules-title"
      className="m-auto w-full max-w-3xl rounded-lg bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id="import-rules-title" className="text-lg font-semibold">
        Import rules
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        An Elastic detection-rules TOML file or a Kibana rules export (NDJSON). EQL rules are imported; other rule types
        are refused with the reason. A rule whose id already exists is updated, keeping its previous version.
      </p>
      <form onSubmit={submit} className="mt-4 flex items-end gap-3">
        <label className="flex-1 text-sm font-medium">
          Rule file
          <input
            type="file"
            accept=".toml,.ndjson,.json,.jsonl"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            className="mt-1 block w-full text-sm"
          />
        </label>
        <button
          type="submit"
          disabled={!file || upload.isPending}
          className="rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-60"
        >
          {upload.isPending ? "Importing…" : "Import"}
        </button>
      </form>
      {upload.isError ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {upload.error.message}
        </p>
      ) : null}
      {upload.data ? <ImportResults report={upload.data} /> : null}
      <div className="mt-6 flex justify-end">
        <button
          type="button"
          onClick={() => dialog.current?.close()}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Close
        </button>
      </div>
    </dialog>
  );
}

function ImportResults({ report }: { report: ImportReport }) {
  return (
    <section className="mt-4" aria-label="Import results">
      <p className="text-sm" data-testid="import-summary">
        {report.file}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged,{" "}
        {report.refused} refused
      </p>
      <ul className="mt-2 max-h-80 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm dark:divide-slate-800 dark:border-slate-800">
        {report.results.map((result) => (
          <li key={`${result.status}-${result.ruleId}-${result.line}-${result.reason}`} className="px-3 py-2">
            <span className={`mr-2 font-semibold ${STATUS_STYLES[result.status] ?? ""}`}>{result.status}</span>
            <span>{result.name ?? result.ruleId ?? "(unnamed rule)"}</span>
            {result.line ? (
              <span className="ml-2 text-xs text-slate-500">
                line {result.line}
                {result.column ? `, column ${result.column}` : ""}
              </span>
            ) : null}
            {result.reason ? (
              <p className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">{result.reason}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
