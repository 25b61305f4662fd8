import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export function AlertsPage() {
  return (
    <>
      <PageHeader title="Alerts" description="Every detection waiting for a decision, newest first." />
      <EmptyState title="No alerts yet" action={{ href: "/uploads", label: "Upload an events file" }}>
        Alerts appear here once uploaded events match an enabled rule.
      </EmptyState>
    </>
  );
}
