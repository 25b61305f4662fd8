"use client";

import { useState } from "react";
import { SampleDataNotice } from "@/components/samples/SampleDataNotice";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { formatCount } from "./format";
import { UploadForm } from "./UploadForm";
import { UploadHistory } from "./UploadHistory";
import { UploadReportView } from "./UploadReportView";
import { type UploadReport, useUploads } from "./uploads-queries";

export function UploadsPage() {
  const [sending, setSending] = useState(false);
  const [report, setReport] = useState<UploadReport | null>(null);
  const uploads = useUploads(sending);
  const running = uploads.data?.items.find((upload) => upload.status === "receiving");

  return (
    <>
      <PageHeader
        title="Uploads"
        description="Send an events file through detection, and see what each file produced."
      />
      <UploadForm onSending={setSending} onReport={setReport} />
      <div className="mt-6">
        <SampleDataNotice offerLoad />
      </div>

      {sending && running ? (
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300" aria-live="polite">
          Processed {formatCount(running.eventsReceived)} events so far ({formatCount(running.eventsRejected)} refused).
        </p>
      ) : null}

      {report ? (
        <section className="mt-6 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
          <h2 className="mb-4 text-base font-semibold">Report for {report.fileName}</h2>
          <UploadReportView
            report={{
              uploadId: report.uploadId,
              fileName: report.fileName,
              status: report.status,
              events: report.events,
              alerts: report.alerts,
              rules: report.alerts.rules,
              errors: report.errors,
              errorCount: report.errorCount,
            }}
          />
        </section>
      ) : null}

      <h2 className="mb-3 mt-8 text-base font-semibold">Past uploads</h2>
      {uploads.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Past uploads could not be loaded: {uploads.error.message}
        </p>
      ) : uploads.data && uploads.data.items.length === 0 ? (
        <EmptyState title="No uploads yet">
          Upload a file above, send one to <code className="font-mono">POST /api/events</code>, or run{" "}
          <code className="font-mono">keelwatch ingest FILE</code>.
        </EmptyState>
      ) : uploads.data ? (
        <UploadHistory uploads={uploads.data.items} />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>
      )}
    </>
  );
}
