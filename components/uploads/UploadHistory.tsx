"use client";

import Link from "next/link";
import { formatBytes, formatCount } from "./format";
import type { UploadSummary } from "./uploads-queries";

const STATUS_STYLE: Record<string, string> = {
  done: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  receiving: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  streaming: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
};

// "streaming": a sensor source's stream, reached from the Sources page (it is never listed among uploads).
const STATUS_LABEL: Record<string, string> = {
  done: "Done",
  receiving: "Receiving",
  failed: "Failed",
  streaming: "Streaming",
};

export function UploadStatusBadge({ status }: { status: string }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? "bg-slate-100"}`}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

/** Past uploads, newest first; a running one shows its live counts. */
export function UploadHistory({ uploads }: { uploads: UploadSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Past uploads</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-950 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              File
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Format
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Size
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Events
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Rejected
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Alerts
            </th>
            <th scope="col" className="px-3 py-2">
              Started
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {uploads.map((upload) => (
            <tr key={upload.id}>
              <td className="max-w-xs truncate px-3 py-2">
                <Link href={`/uploads/${upload.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
                  {upload.fileName}
                </Link>
              </td>
              <td className="px-3 py-2">
                <UploadStatusBadge status={upload.status} />
              </td>
              <td className="px-3 py-2">{upload.format}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatBytes(upload.bytesReceived)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(upload.eventsAccepted)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(upload.eventsRejected)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(upload.alertsCreated)}</td>
              <td className="whitespace-nowrap px-3 py-2">
                <time dateTime={upload.createdAt}>{new Date(upload.createdAt).toLocaleString()}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
