import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/AppShell";
import { requireSignedIn } from "@/lib/auth/page-guard";

// Every triage page depends on who is signed in.
export const dynamic = "force-dynamic";

export default async function TriageLayout({ children }: { children: ReactNode }) {
  const user = await requireSignedIn();
  return <AppShell user={{ displayName: user.displayName, role: user.role }}>{children}</AppShell>;
}
