import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export function UploadsPage() {
  return (
    <>
      <PageHeader title="Uploads" description="Event files sent to Keelwatch and what each one produced." />
      <EmptyState title="No uploads yet">
        Event files can be sent to <code className="font-mono">POST /api/events</code> or with{" "}
        <code className="font-mono">keelwatch ingest FILE</code>; uploading from this page is coming next.
      </EmptyState>
    </>
  );
}
