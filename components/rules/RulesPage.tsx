import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export function RulesPage() {
  return (
    <>
      <PageHeader title="Rules" description="Detection rules, written in EQL, that Keelwatch runs on every upload." />
      <EmptyState title="Rule management is on its way">
        The built-in container rules will be listed here, with their queries, investigation guides and an editor.
      </EmptyState>
    </>
  );
}
