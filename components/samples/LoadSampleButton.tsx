"use client";

import { useRouter } from "next/navigation";
import { useCurrentPrincipal } from "@/components/alerts/list-queries";
import { buttonClass } from "@/components/ui/button";
import { can, RoleSchema } from "@/lib/auth/roles";
import { useLoadSample } from "./samples-queries";

/**
 * "Load sample incident": ingests the bundled ECS sample and opens the alert
 * list. Hidden from people who may not triage (viewers), since it adds alerts.
 */
export function LoadSampleButton({ className = "" }: { className?: string }) {
  const router = useRouter();
  const principal = useCurrentPrincipal();
  const role = RoleSchema.safeParse(principal.data?.role);
  const load = useLoadSample();
  if (!role.success || !can(role.data, "alerts:write")) return null;
  return (
    <div className={className}>
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={load.isPending}
        onClick={async () => {
          // mutateAsync, not mutate's callbacks: loading swaps the panel holding this button for a notice, and
          // callbacks of an unmounted caller never run. A failure is shown from load.error below.
          const done = await load.mutateAsync().catch(() => null);
          if (done) router.push("/alerts");
        }}
      >
        {load.isPending ? "Loading sample incident…" : "Load sample incident"}
      </button>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        A web shell in an nginx pod turned into a reverse shell, with ordinary activity around it. Marked as sample
        data, removable in one click.
      </p>
      {load.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          The sample could not be loaded: {load.error.message}
        </p>
      ) : null}
    </div>
  );
}
