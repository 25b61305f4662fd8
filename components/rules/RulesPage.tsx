import { Suspense } from "react";
import { PageHeader } from "@/components/ui/PageHeader";
import { currentPrincipal } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/roles";
import { RulesView } from "./RulesView";

/** Rules list. Who may change rules is decided here, on the server; the API checks again on every write. */
export async function RulesPage() {
  const principal = await currentPrincipal();
  const canWrite = principal ? can(principal.role, "rules:write") : false;
  return (
    <>
      <PageHeader
        title="Rules"
        description="Detection rules, written in EQL, that Keelwatch runs on every upload. Switch a rule off to stop new alerts from it."
      />
      <Suspense fallback={<p className="text-sm text-slate-500">Loading rules…</p>}>
        <RulesView canWrite={canWrite} />
      </Suspense>
    </>
  );
}
