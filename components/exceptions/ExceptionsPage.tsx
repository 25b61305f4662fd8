import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export function ExceptionsPage() {
  return (
    <>
      <PageHeader title="Exceptions" description="False-positive exceptions that keep known noise from coming back." />
      <EmptyState title="No exceptions yet" action={{ href: "/alerts", label: "Go to alerts" }}>
        Exceptions are created from an alert you have judged benign, so the same activity does not alert again.
      </EmptyState>
    </>
  );
}
