import type { Metadata } from "next";
import { AlertDetailPage } from "@/components/alerts/detail/AlertDetailPage";
import { FirstVisitHint } from "@/components/help/FirstVisitHint";
import { requireSignedIn } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Alert" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireSignedIn(`/alerts/${encodeURIComponent(id)}`);
  const me = { id: user.id, name: user.displayName };
  return (
    <>
      <FirstVisitHint screen="alertDetail" />
      <AlertDetailPage
        id={id}
        me={me}
        canTriage={can(user.role, "alerts:write")}
        canAddException={can(user.role, "exceptions:write")}
      />
    </>
  );
}
