"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { buttonClass, dangerButtonClass, inputClass, secondaryButtonClass } from "@/components/settings/fields";
import { Dialog } from "@/components/ui/Dialog";
import { PageHeader } from "@/components/ui/PageHeader";
import { describeCondition } from "./describe";
import { ExceptionForm } from "./ExceptionForm";
import {
  type ExceptionFilter,
  type ExceptionItemView,
  useDeleteException,
  useExceptionLists,
  useExceptions,
  useRuleOptions,
  useValueLists,
} from "./exceptions-queries";
import { formFromItem } from "./form-state";
import { countOf, utcTime } from "./format";
import { ListsSection } from "./ListsSection";

// One loud red button per row drowns the table; the row's delete is outlined, the dialog's is solid.
const rowDeleteClass = `${secondaryButtonClass} text-red-700 dark:text-red-400`;

/** All exception items with filters, inline edit and confirmed delete; shared lists and value lists below. */
export function ExceptionsPage() {
  const [filter, setFilter] = useState<ExceptionFilter>({});
  const [editing, setEditing] = useState<ExceptionItemView | null>(null);
  const [confirming, setConfirming] = useState<ExceptionItemView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const items = useExceptions(filter);
  const rules = useRuleOptions();
  const lists = useExceptionLists();
  const valueLists = useValueLists();
  const remove = useDeleteException();
  // After "New exception" saves, it comes back here with ?saved=<name>&closed=<n> to say what happened.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const saved = params.get("saved");
    if (saved === null) return;
    const closed = Number(params.get("closed") ?? "0");
    setNotice(`Created “${saved}”${closed > 0 ? `; ${countOf(closed, "matching alert")} closed` : ""}.`);
    window.history.replaceState(null, "", window.location.pathname);
  }, []);
  const valueListNames = useMemo(
    () => new Map((valueLists.data ?? []).map((list) => [list.id, list.name])),
    [valueLists.data],
  );

  return (
    <>
      <PageHeader
        title="Exceptions"
        description="False-positive exceptions that keep known noise from coming back."
        actions={
          <>
            <a className={secondaryButtonClass} href="/api/exceptions/export" download>
              Export NDJSON
            </a>
            <Link className={buttonClass} href="/exceptions/new">
              New exception
            </Link>
          </>
        }
      />

      {notice ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        >
          {notice}
        </p>
      ) : null}

      {editing ? (
        <section
          aria-label="Edit exception"
          className="mb-6 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
        >
          <h2 className="mb-3 text-lg font-semibold">Edit “{editing.name}”</h2>
          <ExceptionForm
            key={editing.id}
            item={editing}
            initial={formFromItem(editing)}
            onCancel={() => setEditing(null)}
            onSaved={({ item, closedAlerts }) => {
              setEditing(null);
              setNotice(
                `Saved “${item.name}”${closedAlerts > 0 ? `; ${countOf(closedAlerts, "matching alert")} closed` : ""}.`,
              );
            }}
          />
        </section>
      ) : null}

      <form aria-label="Filter exceptions" className="mb-4 flex flex-wrap gap-3" onSubmit={(e) => e.preventDefault()}>
        <div className="max-w-sm">
          <label htmlFor="filter-rule" className="block text-xs font-medium">
            Rule
          </label>
          <select
            id="filter-rule"
            className={inputClass}
            value={filter.rule ?? ""}
            onChange={(e) => setFilter({ ...filter, rule: e.target.value || undefined })}
          >
            <option value="">All rules</option>
            {(rules.data ?? []).map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-list" className="block text-xs font-medium">
            Shared list
          </label>
          <select
            id="filter-list"
            className={inputClass}
            value={filter.list ?? ""}
            onChange={(e) => setFilter({ ...filter, list: e.target.value || undefined })}
          >
            <option value="">Any</option>
            {(lists.data ?? []).map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-expired" className="block text-xs font-medium">
            Status
          </label>
          <select
            id="filter-expired"
            className={inputClass}
            value={filter.expired ?? ""}
            onChange={(e) =>
              setFilter({ ...filter, expired: (e.target.value || undefined) as ExceptionFilter["expired"] })
            }
          >
            <option value="">Active and expired</option>
            <option value="false">Active only</option>
            <option value="true">Expired only</option>
          </select>
        </div>
      </form>

      {items.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load exceptions: {items.error.message}
        </p>
      ) : null}

      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Exception items</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-3 py-2">
                Name
              </th>
              <th scope="col" className="px-3 py-2">
                Applies to
              </th>
              <th scope="col" className="px-3 py-2">
                Conditions
              </th>
              <th scope="col" className="px-3 py-2">
                Expires
              </th>
              <th scope="col" className="px-3 py-2">
                Updated
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.isPending ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
                  Loading…
                </td>
              </tr>
            ) : null}
            {items.data?.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
                  No exceptions match. Exceptions are usually created from an alert judged benign (“Add exception” on
                  the alert), or with “New exception”.
                </td>
              </tr>
            ) : null}
            {(items.data ?? []).map((item) => (
              <tr key={item.id} className="border-t border-slate-200 align-top dark:border-slate-700">
                <td className="min-w-48 px-3 py-2">
                  <div className="font-medium">{item.name}</div>
                  {item.description ? <div className="text-xs text-slate-500">{item.description}</div> : null}
                </td>
                <td className="px-3 py-2">
                  {item.scope.kind === "rule" ? (
                    <span>
                      Rule:{" "}
                      <Link
                        className="text-sky-700 hover:underline dark:text-sky-400"
                        href={`/rules/${encodeURIComponent(item.scope.ruleId)}`}
                      >
                        {item.scope.ruleName}
                      </Link>
                    </span>
                  ) : (
                    <span>
                      List: {item.scope.listName} ({item.scope.ruleIds.length} rule
                      {item.scope.ruleIds.length === 1 ? "" : "s"})
                    </span>
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {item.groups.map((group, g) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: groups have no identity beyond their position
                    <div key={g} className={g > 0 ? "mt-1" : undefined}>
                      {g > 0 ? <div className="font-sans font-semibold text-slate-500">OR</div> : null}
                      {/* One condition a line: long values wrap inside their own line, not across the AND. */}
                      {group.map((condition, c) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity beyond their position
                        <div key={c} className="break-words">
                          {c > 0 ? <span className="font-sans font-semibold text-slate-500">AND </span> : null}
                          {describeCondition(condition, valueListNames)}
                        </div>
                      ))}
                    </div>
                  ))}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {item.expiresAt ? new Date(item.expiresAt).toISOString().slice(0, 10) : "never"}
                  {item.expired ? (
                    <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700 dark:bg-slate-700 dark:text-slate-200">
                      Expired
                    </span>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-xs text-slate-500">
                  {utcTime(item.updatedAt)}
                  {item.updatedBy ? ` by ${item.updatedBy.name}` : ""}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    aria-label={`Edit ${item.name}`}
                    onClick={() => {
                      setNotice(null);
                      setEditing(item);
                    }}
                  >
                    Edit
                  </button>{" "}
                  <button
                    type="button"
                    className={rowDeleteClass}
                    aria-label={`Delete ${item.name}`}
                    onClick={() => setConfirming(item)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {/* The native dialog traps focus, makes the page inert and closes on Escape (= cancel). */}
      <Dialog
        open={confirming !== null}
        title="Delete exception?"
        onClose={() => {
          remove.reset();
          setConfirming(null);
        }}
      >
        {confirming ? (
          <>
            <p className="text-sm">
              “{confirming.name}” will stop applying at once: the activity it covers will raise alerts again. Alerts it
              already closed stay closed. The deletion is recorded in the audit log.
            </p>
            {remove.error ? (
              <p role="alert" className="mt-2 text-sm text-red-700">
                {remove.error.message}
              </p>
            ) : null}
            <div className="mt-4 flex justify-end gap-2">
              <button
                type="button"
                className={secondaryButtonClass}
                // biome-ignore lint/a11y/noAutofocus: the dialog's safe choice takes focus when it opens
                autoFocus
                onClick={() => {
                  remove.reset();
                  setConfirming(null);
                }}
              >
                Cancel
              </button>
              <button
                type="button"
                className={dangerButtonClass}
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(confirming.id, {
                    onSuccess: () => {
                      setNotice(`Deleted “${confirming.name}”.`);
                      if (editing?.id === confirming.id) setEditing(null);
                      setConfirming(null);
                    },
                  })
                }
              >
                {remove.isPending ? "Deleting…" : "Delete exception"}
              </button>
            </div>
          </>
        ) : null}
      </Dialog>

      <ListsSection />
    </>
  );
}
