"use client";

import Link from "next/link";
import { PageHeader } from "@/components/ui/PageHeader";
import { formatBytes, formatLabel } from "./format";
import { UploadStatusBadge } from "./UploadHistory";
import { UploadReportView } from "./UploadReportView";
import { useUpload } from "./uploads-queries";

export function UploadDetailPage({ id }: { id: string }) {
  const upload = useUpload(id);
  if (upload.isError) {
    return (
      <>
        <PageHeader title="Upload" />
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {upload.error.message}
        </p>
        <Link href="/uploads" className="mt-4 inline-block text-sm text-sky-700 hover:underline dark:text-sky-400">
          Back to uploads
        </Link>
      </>
    );
  }
  if (!upload.data) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  const data = upload.data;
  return (
    <>
      <PageHeader
        title={data.fileName}
        description={`${formatLabel(data.format)} · ${formatBytes(data.bytesReceived)} · started ${new Date(data.createdAt).toLocaleString()}`}
        actions={<UploadStatusBadge status={data.status} />}
      />
      <UploadReportView
        report={{
          uploadId: data.id,
          fileName: data.fileName,
          status: data.status,
          events: {
            received: data.eventsReceived,
            accepted: data.eventsAccepted,
            rejected: data.eventsRejected,
            duplicate: data.eventsDuplicate,
          },
          alerts: {
            created: data.alertsCreated,
            suppressed: data.alertsSuppressed,
            suppressedByException: data.alertsSuppressedByException,
            duplicate: data.alertsDuplicate,
          },
          rules: data.alertRules,
          errors: data.errors,
          errorCount: data.errorCount,
          failureReason: data.failureReason,
        }}
      />
    </>
  );
}
