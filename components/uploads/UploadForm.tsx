"use client";

import { useId, useRef, useState } from "react";
import { formatBytes, UPLOAD_FORMATS } from "./format";
import type { UploadProgress, UploadReport } from "./uploads-queries";
import { useSendEventsFile } from "./uploads-queries";

const SAMPLES = [
  { file: "ecs-cloud-defend.ndjson", label: "Elastic Defend for Containers" },
  { file: "falco.ndjson", label: "Falco" },
  { file: "tetragon.ndjson", label: "Tetragon" },
  { file: "datadog.ndjson", label: "Datadog CWS" },
];

const ACCEPT = ".ndjson,.jsonl,.json,.gz,application/json,application/x-ndjson,application/gzip";

/** Pick or drop an events file, choose its format, send it with a real progress bar. */
export function UploadForm({
  onSending,
  onReport,
}: {
  onSending: (sending: boolean) => void;
  onReport: (report: UploadReport) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState("auto");
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const formatId = useId();
  const send = useSendEventsFile(setProgress);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setProgress({ sent: 0, total: file.size });
    onSending(true);
    send.mutate(
      { file, format },
      {
        onSuccess: (report) => {
          onReport(report);
          setFile(null);
          if (input.current) input.current.value = "";
        },
        onSettled: () => onSending(false),
      },
    );
  };

  const percent =
    progress && progress.total > 0 ? Math.min(100, Math.round((progress.sent / progress.total) * 100)) : 0;

  return (
    <form
      onSubmit={submit}
      className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <label
        htmlFor="events-file"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const dropped = event.dataTransfer.files[0];
          if (dropped) setFile(dropped);
        }}
        className={`flex cursor-pointer flex-col items-center justify-center rounded-md border-2 border-dashed px-6 py-10 text-center text-sm focus-within:ring-2 focus-within:ring-sky-500 ${
          dragging ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-slate-300 dark:border-slate-700"
        }`}
      >
        <span className="font-medium">{file ? file.name : "Drop an events file here, or choose one"}</span>
        <span className="mt-1 text-slate-600 dark:text-slate-400">
          {file ? formatBytes(file.size) : "NDJSON or a JSON array, optionally gzipped"}
        </span>
        <input
          ref={input}
          id="events-file"
          name="events-file"
          type="file"
          accept={ACCEPT}
          className="sr-only"
          aria-label="Events file"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </label>

      <div className="mt-4 flex flex-wrap items-end gap-4">
        <div>
          <label htmlFor={formatId} className="block text-sm font-medium">
            Format
          </label>
          <select
            id={formatId}
            value={format}
            onChange={(event) => setFormat(event.target.value)}
            className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:outline-none focus:ring-2 focus:ring-sky-500 dark:border-slate-700 dark:bg-slate-950"
          >
            {UPLOAD_FORMATS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          disabled={!file || send.isPending}
          className="rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700 focus:outline-none focus:ring-2 focus:ring-sky-500 focus:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {send.isPending ? "Uploading…" : "Upload"}
        </button>
      </div>

      <p className="mt-3 text-xs text-slate-600 dark:text-slate-400">
        No file at hand? Download a sample and upload it:{" "}
        {SAMPLES.map((sample, index) => (
          <span key={sample.file}>
            {index > 0 ? " · " : null}
            <a href={`/api/samples/${sample.file}`} download className="text-sky-700 hover:underline dark:text-sky-400">
              {sample.label}
            </a>
          </span>
        ))}
      </p>

      {send.isPending && progress ? (
        <div className="mt-4" aria-live="polite">
          <div
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full overflow-hidden rounded bg-slate-200 dark:bg-slate-800"
          >
            <div className="h-full bg-sky-600 transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            {percent < 100
              ? `Sent ${formatBytes(progress.sent)} of ${formatBytes(progress.total)} (${percent}%)`
              : "Sent; the server is finishing detection…"}
          </p>
        </div>
      ) : null}

      {send.isError ? (
        <p
          role="alert"
          className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {send.error.message}
        </p>
      ) : null}
    </form>
  );
}
