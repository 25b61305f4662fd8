"use client";

import { useState } from "react";
import { useCurrentPrincipal } from "@/components/alerts/list-queries";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/Dialog";
import { can, RoleSchema } from "@/lib/auth/roles";
import { LoadSampleButton } from "./LoadSampleButton";
import { useRemoveSamples, useSampleStatus } from "./samples-queries";

/**
 * A notice while sample data is loaded, with "Remove sample data" (confirmed)
 * for those who may triage. With offerLoad, and no sample loaded, it offers to
 * load one instead (the uploads page: the empty screens are not the only way in).
 */
export function SampleDataNotice({ offerLoad = false }: { offerLoad?: boolean }) {
  const status = useSampleStatus();
  const principal = useCurrentPrincipal();
  const role = RoleSchema.safeParse(principal.data?.role);
  const canRemove = role.success && can(role.data, "alerts:write");
  const remove = useRemoveSamples();
  const [confirming, setConfirming] = useState(false);
  if (status.data && !status.data.loaded && offerLoad && canRemove) {
    return (
      <section
        aria-label="Sample incident"
        className="rounded-lg border border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 className="text-sm font-semibold">Or try a sample incident</h2>
        <LoadSampleButton className="mt-2" />
      </section>
    );
  }
  if (!status.data?.loaded) return null;
  const { alerts, events, uploads } = status.data;
  return (
    <section
      aria-label="Sample data"
      className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        Sample data is loaded ({uploads.map((upload) => upload.fileName).join(", ")}: {alerts.toLocaleString("en-US")}{" "}
        alerts from {events.toLocaleString("en-US")} events).
      </p>
      {canRemove ? (
        <button type="button" className={buttonClass("secondary")} onClick={() => setConfirming(true)}>
          Remove sample data
        </button>
      ) : null}
      <Dialog open={confirming} onClose={() => setConfirming(false)} title="Remove sample data?">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This deletes the sample uploads with their {events.toLocaleString("en-US")} events and{" "}
          {alerts.toLocaleString("en-US")} alerts, including any notes or triage on those alerts. Your own uploads stay.
        </p>
        {remove.isError ? (
          <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
            The sample data could not be removed: {remove.error.message}
          </p>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button
            type="button"
            className={buttonClass("danger")}
            disabled={remove.isPending}
            onClick={() => remove.mutate(undefined, { onSuccess: () => setConfirming(false) })}
          >
            {remove.isPending ? "Removing…" : "Remove sample data"}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
