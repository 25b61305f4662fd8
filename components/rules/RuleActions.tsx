"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Rule } from "@/lib/rules/schema";
import { RulesApiError, useCreateRule, useDeleteRule } from "./rules-queries";

const secondary =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";
const danger = "rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60";

/**
 * Duplicate (how a built-in rule is customised without losing the original)
 * and delete (custom rules only, after confirmation; alerts go with the rule,
 * so a rule that has alerts needs a second, explicit confirmation).
 */
export function RuleActions({ rule, builtin }: { rule: Rule; builtin: boolean }) {
  const router = useRouter();
  const duplicate = useCreateRule();
  const remove = useDeleteRule();
  const [confirming, setConfirming] = useState(false);
  const hasAlerts = remove.error instanceof RulesApiError && remove.error.code === "rule_has_alerts";

  function copy() {
    const { id: _id, ...fields } = rule;
    // The copy starts switched off, so it does not double every alert until someone means it to run.
    duplicate.mutate(
      { ...fields, name: `${rule.name} (copy)`, origin: "custom", version: 1, enabled: false },
      { onSuccess: (created) => router.push(`/rules/${encodeURIComponent(created.id)}`) },
    );
  }

  function destroy(force: boolean) {
    remove.mutate({ id: rule.id, force }, { onSuccess: () => router.push("/rules") });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <button type="button" className={secondary} onClick={copy} disabled={duplicate.isPending}>
          {duplicate.isPending ? "Duplicating…" : "Duplicate"}
        </button>
        {builtin ? null : (
          <button type="button" className={secondary} onClick={() => setConfirming(true)} disabled={confirming}>
            Delete…
          </button>
        )}
      </div>
      {duplicate.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not duplicate: {duplicate.error.message}
        </p>
      ) : null}
      {confirming ? (
        <div
          role="alertdialog"
          aria-label="Confirm deletion"
          className="rounded-md border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950"
        >
          <p>
            Delete “{rule.name}”? Its versions go with it{hasAlerts ? "" : "; this cannot be undone"}.
          </p>
          {remove.isError ? <p className="mt-1 text-red-800 dark:text-red-200">{remove.error.message}</p> : null}
          <div className="mt-2 flex gap-2">
            {hasAlerts ? (
              <button type="button" className={danger} onClick={() => destroy(true)} disabled={remove.isPending}>
                Delete the rule and its alerts
              </button>
            ) : (
              <button type="button" className={danger} onClick={() => destroy(false)} disabled={remove.isPending}>
                Delete rule
              </button>
            )}
            <button
              type="button"
              className={secondary}
              onClick={() => {
                setConfirming(false);
                remove.reset();
              }}
            >
              Keep it
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
