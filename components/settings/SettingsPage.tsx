import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Users, roles and API tokens." />
      <EmptyState title="Accounts and tokens are on their way">
        Administrators will manage users and API tokens for ingest scripts here.
      </EmptyState>
    </>
  );
}
