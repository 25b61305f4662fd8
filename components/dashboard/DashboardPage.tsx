import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { SystemStatus } from "./SystemStatus";

export function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="Detections from your containers at a glance." />
      <div className="space-y-6">
        <SystemStatus />
        <EmptyState title="No alerts yet" action={{ href: "/uploads", label: "Upload an events file" }}>
          Keelwatch raises alerts when events match its detection rules. Upload an events file (NDJSON or a JSON array,
          gzip welcome) from Elastic Defend for Containers, Falco, Tetragon or Datadog to see them here.
        </EmptyState>
      </div>
    </>
  );
}
