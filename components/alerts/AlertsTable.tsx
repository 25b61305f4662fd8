"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type OnChangeFn,
  type RowSelectionState,
  useReactTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { SeverityBadge, StatusBadge } from "@/components/ui/severity";
import type { AlertSort } from "@/lib/db/alert-list-query";
import type { AlertRow } from "./list-data";

const ROW_HEIGHT = 44;
/**
 * The scroll box's size before it can be measured: on the server and in the
 * first (hydrating) render. With the overscan below that is 24 rows in the
 * HTML, more than the box shows on a 1400-pixel-high window (it is the window
 * less 20rem); the real size takes over once mounted.
 */
const INITIAL_RECT = { width: 1280, height: ROW_HEIGHT * 12 };

/** "2026-11-20 10:00:05" in UTC: analysts compare times across hosts, so one zone everywhere. */
export function formatUtc(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}

/** Two related fields in one cell, so ten columns fit a laptop screen without scrolling sideways. */
function TwoLines({
  main,
  sub,
  subLabel,
  mono = false,
}: {
  main: string | null;
  sub: string | null;
  subLabel: string;
  mono?: boolean;
}) {
  return (
    <div className="min-w-0 leading-tight">
      <Cell text={main} mono={mono} />
      <span className="block truncate text-xs text-slate-600 dark:text-slate-400" title={sub ?? undefined}>
        <span className="sr-only">{subLabel} </span>
        {sub ?? "—"}
      </span>
    </div>
  );
}

function Cell({ text, mono = false }: { text: string | null; mono?: boolean }) {
  if (!text) return <span className="text-slate-400 dark:text-slate-500">—</span>;
  return (
    <span title={text} className={`block truncate ${mono ? "font-mono text-xs" : ""}`}>
      {text}
    </span>
  );
}

/** Which header sorts how; Time flips between newest and oldest. */
const SORTABLE: Record<string, { sorts: AlertSort[]; label: string }> = {
  severity: { sorts: ["severity"], label: "Severity" },
  risk: { sorts: ["risk"], label: "Risk" },
  time: { sorts: ["newest", "oldest"], label: "Time (UTC)" },
};

function columns(): ColumnDef<AlertRow>[] {
  return [
    {
      id: "select",
      size: 36,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all loaded alerts"
          checked={table.getIsAllRowsSelected()}
          ref={(element) => {
            if (element) element.indeterminate = table.getIsSomeRowsSelected();
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
          className="h-4 w-4 accent-sky-700"
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select alert ${row.original.ruleName} at ${formatUtc(row.original.timestamp)}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
          className="h-4 w-4 accent-sky-700"
        />
      ),
    },
    {
      id: "severity",
      size: 92,
      header: "Severity",
      cell: ({ row }) => <SeverityBadge severity={row.original.severity} />,
    },
    {
      id: "risk",
      size: 64,
      header: "Risk",
      cell: ({ row }) => <span className="tabular-nums">{row.original.riskScore}</span>,
    },
    {
      id: "rule",
      header: "Rule",
      cell: ({ row }) => (
        <Link
          href={`/alerts/${encodeURIComponent(row.original.id)}`}
          // Dozens of rows are on screen: prefetching each alert's (dynamic) page cost a request per row
          // while the list was still loading its counts, for no faster opening.
          prefetch={false}
          data-alert-link
          className="block truncate font-medium text-sky-800 hover:underline dark:text-sky-300"
          title={row.original.ruleName}
        >
          {row.original.ruleName}
          {row.original.suppressedCount > 0 ? (
            <span
              className="ml-1 rounded bg-slate-100 px-1 text-xs font-normal text-slate-600 dark:bg-slate-800 dark:text-slate-300"
              title={`${row.original.suppressedCount} more matches folded into this alert by suppression`}
            >
              +{row.original.suppressedCount}
            </span>
          ) : null}
        </Link>
      ),
    },
    {
      id: "time",
      size: 164,
      header: "Time (UTC)",
      cell: ({ row }) => (
        <time dateTime={row.original.timestamp} className="whitespace-nowrap text-xs tabular-nums">
          {formatUtc(row.original.timestamp)}
        </time>
      ),
    },
    {
      id: "container",
      header: "Container · Host",
      cell: ({ row }) => (
        <TwoLines
          main={row.original.containerName ?? row.original.containerId}
          sub={row.original.hostName}
          subLabel="host"
        />
      ),
    },
    {
      id: "process",
      header: "Process · User",
      cell: ({ row }) => (
        <TwoLines
          main={row.original.commandLine ?? row.original.processName}
          sub={row.original.userName}
          subLabel="user"
          mono
        />
      ),
    },
    {
      id: "status",
      size: 132,
      header: "Status",
      cell: ({ row }) => <StatusBadge status={row.original.status} closingReason={row.original.closingReason} />,
    },
    {
      id: "assignee",
      size: 104,
      header: "Assignee",
      cell: ({ row }) => <Cell text={row.original.assignee?.displayName ?? null} />,
    },
  ];
}

const COLUMNS = columns();
/** Columns without a set width share what is left of the table's width. */
const FLEXIBLE = new Set(["rule", "container", "process"]);

/**
 * The alert rows: react-table for columns and selection, react-virtual so
 * only the rows on screen are in the DOM however many pages are loaded.
 */
export function AlertsTable({
  rows,
  sort,
  onSort,
  selection,
  onSelectionChange,
  activeIndex,
  onActivate,
}: {
  rows: AlertRow[];
  sort: AlertSort;
  onSort: (sort: AlertSort) => void;
  selection: RowSelectionState;
  onSelectionChange: OnChangeFn<RowSelectionState>;
  activeIndex: number;
  onActivate: (index: number) => void;
}) {
  const table = useReactTable({
    data: rows,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    enableRowSelection: true,
    manualSorting: true,
    state: { rowSelection: selection },
    onRowSelectionChange: onSelectionChange,
  });
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: INITIAL_RECT,
  });

  // Keyboard movement scrolls the active row into view and puts focus on its link,
  // so Enter opens it and screen readers announce it.
  const rowCount = useRef(0);
  rowCount.current = tableRows.length;
  const virtualizerRef = useRef(virtualizer);
  virtualizerRef.current = virtualizer;
  useEffect(() => {
    if (activeIndex < 0 || activeIndex >= rowCount.current) return;
    virtualizerRef.current.scrollToIndex(activeIndex, { align: "auto" });
    const frame = requestAnimationFrame(() => {
      const link = scrollRef.current?.querySelector<HTMLAnchorElement>(
        `tr[data-index="${activeIndex}"] a[data-alert-link]`,
      );
      link?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [activeIndex]);

  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  return (
    <div
      ref={scrollRef}
      className="max-h-[calc(100vh-20rem)] min-h-64 overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <table className="w-full min-w-[60rem] table-fixed border-collapse text-sm" aria-rowcount={tableRows.length + 1}>
        <colgroup>
          {table.getVisibleLeafColumns().map((column) => (
            <col key={column.id} style={FLEXIBLE.has(column.id) ? undefined : { width: column.getSize() }} />
          ))}
        </colgroup>
        <thead className="sticky top-0 z-10 bg-slate-100 text-left text-xs font-semibold uppercase tracking-wide text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sortable = SORTABLE[header.column.id];
                const active = sortable?.sorts.includes(sort) ?? false;
                const ariaSort = !active ? undefined : sort === "oldest" ? "ascending" : "descending";
                return (
                  <th key={header.id} scope="col" aria-sort={ariaSort} className="px-2 py-2">
                    {sortable ? (
                      <button
                        type="button"
                        onClick={() => {
                          const [first, second] = sortable.sorts as [AlertSort, AlertSort?];
                          onSort(active && second && sort === first ? second : first);
                        }}
                        className="inline-flex items-center gap-1 rounded uppercase hover:text-slate-950 dark:hover:text-white"
                      >
                        {sortable.label}
                        <span aria-hidden="true" className={active ? "" : "opacity-30"}>
                          {active && sort === "oldest" ? "▲" : "▼"}
                        </span>
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr>
              <td style={{ height: paddingTop }} colSpan={COLUMNS.length} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = tableRows[item.index];
            if (!row) return null;
            const active = item.index === activeIndex;
            return (
              <tr
                key={row.id}
                data-index={item.index}
                data-testid="alert-row"
                aria-rowindex={item.index + 2}
                onClick={() => onActivate(item.index)}
                style={{ height: ROW_HEIGHT }}
                className={`border-t border-slate-100 dark:border-slate-800 ${
                  row.getIsSelected()
                    ? "bg-sky-50 dark:bg-sky-950/60"
                    : active
                      ? "bg-slate-50 dark:bg-slate-800/60"
                      : "hover:bg-slate-50 dark:hover:bg-slate-800/40"
                } ${active ? "outline-2 -outline-offset-2 outline-sky-600" : ""}`}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="overflow-hidden px-2 py-1 align-middle">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr>
              <td style={{ height: paddingBottom }} colSpan={COLUMNS.length} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
