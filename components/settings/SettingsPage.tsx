import { PageHeader } from "@/components/ui/PageHeader";
import { requireSignedIn } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/roles";
import { SettingsTabs } from "./SettingsTabs";

/**
 * Admins manage users, tokens and read the audit log; everyone manages their
 * own account. Hiding the admin tabs is only courtesy: the API refuses others.
 */
export async function SettingsPage() {
  const user = await requireSignedIn("/settings");
  const isAdmin = can(user.role, "users:manage");
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          isAdmin
            ? "Users, roles, API tokens, notifications, the field mapping, the audit log and your account."
            : "Your account."
        }
      />
      <SettingsTabs
        isAdmin={isAdmin}
        user={{ id: user.id, username: user.username, displayName: user.displayName, role: user.role }}
      />
    </>
  );
}
