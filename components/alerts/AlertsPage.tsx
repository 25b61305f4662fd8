"use client";

import type { RowSelectionState } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { LoadSampleButton } from "@/components/samples/LoadSampleButton";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { can, RoleSchema } from "@/lib/auth/roles";
import { AlertFilters, SEARCH_INPUT_ID } from "./AlertFilters";
import { AlertsTable } from "./AlertsTable";
import { BulkActions } from "./BulkActions";
import { ExportMenu } from "./ExportMenu";
import { GroupBySelect, GroupCounts } from "./GroupBy";
import type { AlertsPageSeed } from "./list-data";
import { useAlertCounts, useAlertList, useBulkAlertAction, useCurrentPrincipal } from "./list-queries";
import { type AlertListFilter, clearedFilter, hasActiveFilters } from "./list-state";
import { useListUrlState } from "./list-url";

/**
 * `seed` is what the server page read before sending the HTML (first rows, who
 * is signed in): the rows render with the page, and only counts load afterwards.
 */
export function AlertsPage({ seed }: { seed: AlertsPageSeed }) {
  return (
    <>
      <PageHeader title="Alerts" description="Every detection waiting for a decision, newest first." />
      <Suspense fallback={<TableSkeleton />}>
        <AlertList seed={seed} />
      </Suspense>
    </>
  );
}

function AlertList({ seed }: { seed: AlertsPageSeed }) {
  const { filter, group, setState } = useListUrlState();
  const list = useAlertList(filter, seed.list);
  const counts = useAlertCounts(filter, group ?? null);
  const principal = useCurrentPrincipal(seed.principal);
  const role = RoleSchema.safeParse(principal.data?.role);
  const canTriage = role.success && can(role.data, "alerts:write");
  const readOnly = principal.isSuccess && !canTriage;

  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [activeIndex, setActiveIndex] = useState(-1);
  const [closeDialogOpen, setCloseDialogOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);

  const filterKey = JSON.stringify(filter);
  // A new filter is a new list: selection and cursor position start over.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the filter changes
  useEffect(() => {
    setSelection({});
    setActiveIndex(-1);
  }, [filterKey]);

  const changeFilter = useCallback(
    (next: AlertListFilter, options?: { replace?: boolean }) => setState({ filter: next, group }, options),
    [setState, group],
  );

  const selectedIds = rows.filter((row) => selection[row.id]).map((row) => row.id);
  useListKeyboard({
    rows,
    activeIndex,
    setActiveIndex,
    setSelection,
    selectedIds,
    canTriage,
    openCloseDialog: () => setCloseDialogOpen(true),
    openHelp: () => setHelpOpen(true),
    blocked: closeDialogOpen || helpOpen,
  });

  const total = counts.data?.total;
  return (
    <div className="space-y-4">
      {/* The total comes first: the server answers one request at a time, and the rule list is the slower one. */}
      <AlertFilters filter={filter} onChange={changeFilter} loadRuleOptions={counts.isFetched} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700 dark:text-slate-300" aria-live="polite" data-testid="alert-total">
          {total === undefined ? "Counting…" : `${total.toLocaleString()} alert${total === 1 ? "" : "s"}`}
          {list.isPlaceholderData ? <span className="ml-2 text-slate-500">Updating…</span> : null}
        </p>
        <div className="flex items-center gap-3">
          <GroupBySelect value={group} onChange={(by) => setState({ filter, group: by })} />
          <ExportMenu filter={filter} total={total} />
          <button type="button" onClick={() => setHelpOpen(true)} className={buttonClass("ghost", "text-xs")}>
            Keyboard shortcuts <kbd className="ml-1 rounded border px-1 font-mono">?</kbd>
          </button>
        </div>
      </div>
      {group ? (
        <GroupCounts by={group} counts={counts.data} filter={filter} onFilter={(next) => changeFilter(next)} />
      ) : null}
      <BulkActions
        selectedIds={selectedIds}
        onDone={() => setSelection({})}
        closeDialogOpen={closeDialogOpen}
        setCloseDialogOpen={setCloseDialogOpen}
        canTriage={canTriage}
        readOnly={readOnly}
      />
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError && rows.length === 0 ? (
        <ErrorState message={list.error.message} onRetry={() => list.refetch()} />
      ) : rows.length === 0 ? (
        hasActiveFilters(filter) ? (
          <section className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center dark:border-slate-700 dark:bg-slate-900">
            <h2 className="text-base font-semibold">No alerts match these filters</h2>
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
              Widen the time range, pick other statuses or severities, or start again from every alert.
            </p>
            <button
              type="button"
              onClick={() => changeFilter(clearedFilter(filter))}
              className={buttonClass("primary", "mt-5")}
            >
              Clear filters
            </button>
          </section>
        ) : (
          <EmptyState title="No alerts yet" action={{ href: "/uploads", label: "Upload an events file" }}>
            Alerts appear here once uploaded events match an enabled rule.
            <LoadSampleButton className="mt-4" />
          </EmptyState>
        )
      ) : (
        <>
          <AlertsTable
            rows={rows}
            sort={filter.sort}
            onSort={(sort) => changeFilter({ ...filter, sort })}
            selection={selection}
            onSelectionChange={setSelection}
            activeIndex={activeIndex}
            onActivate={setActiveIndex}
          />
          <div className="flex items-center justify-between text-sm text-slate-600 dark:text-slate-400">
            <span>
              Showing {rows.length.toLocaleString()}
              {total !== undefined ? ` of ${total.toLocaleString()}` : ""}
            </span>
            {list.hasNextPage ? (
              <button
                type="button"
                onClick={() => list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
                className={buttonClass("secondary")}
              >
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            ) : (
              <span>End of list</span>
            )}
          </div>
          {list.isError ? <ErrorState message={list.error.message} onRetry={() => list.fetchNextPage()} /> : null}
        </>
      )}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

/** j/k move, x selects, Enter opens, / searches, a acknowledges, c closes, ? shows the list. */
function useListKeyboard({
  rows,
  activeIndex,
  setActiveIndex,
  setSelection,
  selectedIds,
  canTriage,
  openCloseDialog,
  openHelp,
  blocked,
}: {
  rows: { id: string }[];
  activeIndex: number;
  setActiveIndex: (index: number) => void;
  setSelection: (update: (previous: RowSelectionState) => RowSelectionState) => void;
  selectedIds: string[];
  canTriage: boolean;
  openCloseDialog: () => void;
  openHelp: () => void;
  blocked: boolean;
}) {
  const router = useRouter();
  const bulk = useBulkAlertAction();
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (blocked || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      // Typing in a field is text, not a command; a ticked checkbox keeps j/k working.
      const typing = "input:not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable=true], dialog";
      if (target?.closest(typing)) return;
      const active = rows[activeIndex];
      // The active row counts as the selection when nothing is ticked.
      const targets = selectedIds.length > 0 ? selectedIds : active ? [active.id] : [];
      const handlers = new Map<string, () => void>([
        ["j", () => setActiveIndex(Math.min(rows.length - 1, activeIndex + 1))],
        ["k", () => setActiveIndex(Math.max(0, activeIndex - 1))],
        [
          "x",
          () => {
            if (active) setSelection((previous) => ({ ...previous, [active.id]: !previous[active.id] }));
          },
        ],
        [
          "Enter",
          () => {
            // On a link or button, Enter already does that element's job.
            if (active && target?.tagName !== "A" && target?.tagName !== "BUTTON") {
              router.push(`/alerts/${encodeURIComponent(active.id)}`);
            }
          },
        ],
        ["/", () => document.getElementById(SEARCH_INPUT_ID)?.focus()],
        ["?", openHelp],
        [
          "a",
          () => {
            if (canTriage && targets.length) bulk.mutate({ ids: targets, action: "acknowledge" });
          },
        ],
        [
          "c",
          () => {
            if (canTriage && selectedIds.length) openCloseDialog();
          },
        ],
      ]);
      const handler = handlers.get(event.key);
      if (!handler) return;
      if (event.key !== "Enter") event.preventDefault();
      handler();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [
    rows,
    activeIndex,
    setActiveIndex,
    setSelection,
    selectedIds,
    canTriage,
    openCloseDialog,
    openHelp,
    blocked,
    router,
    bulk,
  ]);
}

const SHORTCUTS: [string, string][] = [
  ["j / k", "Next / previous alert"],
  ["x", "Select or unselect the current alert"],
  ["Enter", "Open the current alert"],
  ["/", "Search"],
  ["a", "Acknowledge the selected (or current) alerts"],
  ["c", "Close the selected alerts with a reason"],
  ["?", "Show this list"],
];

function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="contents">
            <dt>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-800">
                {keys}
              </kbd>
            </dt>
            <dd className="text-slate-700 dark:text-slate-300">{what}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-5 flex justify-end">
        <button type="button" onClick={onClose} className={buttonClass("secondary")}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

function ErrorState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <section
      role="alert"
      className="rounded-lg border border-red-200 bg-red-50 px-6 py-6 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <h2 className="font-semibold">The alerts could not be loaded</h2>
      <p className="mt-1">{message}</p>
      <p className="mt-1 text-red-800 dark:text-red-200">
        Check the filters in the address bar, or try again in a moment.
      </p>
      <button type="button" onClick={onRetry} className={buttonClass("secondary", "mt-3")}>
        Try again
      </button>
    </section>
  );
}

function TableSkeleton() {
  return (
    <div
      aria-busy="true"
      role="status"
      aria-label="Loading alerts"
      className="space-y-1.5 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
    >
      {Array.from({ length: 8 }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <div key={index} className="h-7 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
      ))}
    </div>
  );
}
