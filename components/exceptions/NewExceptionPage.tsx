"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { PageHeader } from "@/components/ui/PageHeader";
import { prefillConditions } from "@/lib/exceptions/prefill";
import { ExceptionForm } from "./ExceptionForm";
import { type AlertForPrefill, useAlertForPrefill } from "./exceptions-queries";
import { emptyForm, type FormState, newRow, rowFromCondition } from "./form-state";

/**
 * The form for a new exception. From an alert, it starts scoped to the
 * alert's rule with one group holding the telling fields of its first
 * triggering event (each row removable), and offers to close the alerts it
 * covers — the usual reason to write an exception.
 */
export function NewExceptionPage({ fromAlert }: { fromAlert: string | null }) {
  const router = useRouter();
  const alert = useAlertForPrefill(fromAlert);
  const header = (
    <PageHeader
      title="New exception"
      description="Describe activity that is known to be benign so it stops raising alerts."
      actions={
        <Link className="text-sm text-sky-700 underline dark:text-sky-400" href="/exceptions">
          Back to exceptions
        </Link>
      }
    />
  );

  if (fromAlert !== null && alert.isPending) {
    return (
      <>
        {header}
        <p role="status" className="text-sm text-slate-500">
          Loading the alert…
        </p>
      </>
    );
  }

  const loadFailed = fromAlert !== null && alert.isError;
  const initial = alert.data ? formFromAlert(alert.data) : emptyForm();
  return (
    <>
      {header}
      {loadFailed ? (
        <p role="alert" className="mb-4 text-sm text-red-700">
          Could not load alert {fromAlert}: {alert.error?.message}. Start from an empty form instead.
        </p>
      ) : null}
      {alert.data ? (
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
          Pre-filled from alert{" "}
          <Link className="text-sky-700 underline dark:text-sky-400" href={`/alerts/${alert.data.id}`}>
            {alert.data.ruleName}
          </Link>
          . Remove the conditions that are too specific, then preview the impact.
        </p>
      ) : null}
      <ExceptionForm
        key={alert.data?.id ?? "empty"}
        initial={initial}
        onSaved={({ item, closedAlerts }) => {
          const query = new URLSearchParams({ saved: item.name, closed: String(closedAlerts) });
          router.push(`/exceptions?${query.toString()}`);
        }}
        onCancel={() => router.push("/exceptions")}
      />
    </>
  );
}

function formFromAlert(alert: AlertForPrefill): FormState {
  const document = alert.events[0]?.document ?? {};
  const rows = prefillConditions(document).map(rowFromCondition);
  return {
    ...emptyForm(),
    name: `False positive: ${alert.ruleName}`,
    scope: `rule:${alert.rule.id}`,
    groups: [rows.length > 0 ? rows : [newRow()]],
    closeMatching: true,
  };
}
