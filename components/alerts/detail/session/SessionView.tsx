"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import type { AlertSession, SessionAlert } from "@/lib/session/session";
import { BUTTON, Muted, Section } from "../Section";
import { SEVERITY_TEXT } from "../SeverityBadge";
import { SessionRow } from "./SessionRow";
import { SESSION_PAGE, useSessionOutline, useSessionPages, useSessionSearch } from "./session-queries";
import { branchesOf, parentsOf, unfoldAbove, visibleRows } from "./visible-rows";

export const SESSION_ROW_HEIGHT = 44;
/** The list's height: about a dozen rows, whatever the session's size (the rest scrolls, drawn as it comes). */
const LIST_MAX_HEIGHT = 528;

/** Processes offered as jumps above the list; the rest are reached by "Show only alerts' branches". */
const MAX_JUMPS = 40;
const SEVERITY_ORDER = ["low", "medium", "high", "critical"];

const GROUPING_LABELS: Record<AlertSession["grouping"], string> = {
  entry_leader: "· grouped by entry leader",
  session_leader: "· grouped by session leader",
  ancestry: "· grouped by process ancestry (the sensor reports no session)",
  none: "",
};

/**
 * Every process of the alert's session, Kibana Session View style: the entry
 * leader and everything it started, depth first in start order, with the
 * session's alerts on their processes. The tree's shape comes whole; the
 * processes' details come a page at a time as the list scrolls to them, and
 * only the rows in view are drawn.
 */
export function SessionView({ alertId }: { alertId: string }) {
  const outlineQuery = useSessionOutline(alertId);
  const session = outlineQuery.data;

  if (outlineQuery.isPending) {
    return (
      <Section id="session" title="Session">
        <p role="status" className="text-sm text-slate-500">
          Loading the session…
        </p>
      </Section>
    );
  }
  if (outlineQuery.isError || !session) {
    return (
      <Section id="session" title="Session">
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          The session could not be loaded: {outlineQuery.error?.message ?? "no answer"}{" "}
          <button type="button" className={BUTTON} onClick={() => void outlineQuery.refetch()}>
            Try again
          </button>
        </p>
      </Section>
    );
  }
  if (session.total === 0) {
    return (
      <Section id="session" title="Session">
        <Muted>The alert names no process, so it has no session to show.</Muted>
      </Section>
    );
  }
  return <SessionTree alertId={alertId} session={session} />;
}

function SessionTree({ alertId, session }: { alertId: string; session: AlertSession }) {
  const outline = session.outline ?? { depth: [], descendants: [] };
  const parents = useMemo(() => parentsOf(outline), [outline]);
  const [folded, setFolded] = useState<Set<number>>(() => new Set());
  const [alertsOnly, setAlertsOnly] = useState(false);
  const [searchText, setSearchText] = useState("");
  const q = useDebounced(searchText.trim(), 300);
  const search = useSessionSearch(alertId, q);

  const alertRows = useMemo(() => new Set(session.alerts.map((alert) => alert.row)), [session.alerts]);
  const matches = useMemo(() => new Set(q ? (search.data ?? []) : []), [q, search.data]);
  const keep = useMemo(() => {
    const alertBranches = alertsOnly ? branchesOf(parents, alertRows) : null;
    const searchBranches = q ? branchesOf(parents, matches) : null;
    if (alertBranches && searchBranches) return new Set([...searchBranches].filter((row) => alertBranches.has(row)));
    return alertBranches ?? searchBranches;
  }, [alertsOnly, alertRows, q, matches, parents]);
  const rows = useMemo(() => visibleRows(outline, folded, keep), [outline, folded, keep]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => SESSION_ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const pages = useMemo(() => {
    const needed = new Set<number>();
    for (const item of items) {
      const row = rows[item.index];
      if (row !== undefined) needed.add(Math.floor(row / SESSION_PAGE));
    }
    return [...needed].sort((a, b) => a - b);
  }, [items, rows]);
  const details = useSessionPages(alertId, pages, true);

  // A jump (to the alert at first, then to a chosen one) waits for its row to be drawable, then scrolls to it.
  const [jumpTo, setJumpTo] = useState<number | null>(session.alertRow);
  useEffect(() => {
    if (jumpTo === null) return;
    const index = rows.indexOf(jumpTo);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "center" });
    setJumpTo(null);
  }, [jumpTo, rows, virtualizer]);

  const jump = (row: number) => {
    setFolded((current) => unfoldAbove(current, parents, row));
    // An alert's row is always in the alerts' branches; only a search can hide it.
    if (keep && !keep.has(row)) setSearchText("");
    setJumpTo(row);
  };
  const alertedProcesses = useMemo(() => byProcess(session.alerts), [session.alerts]);
  const toggle = (row: number) =>
    setFolded((current) => {
      const next = new Set(current);
      if (next.has(row)) next.delete(row);
      else next.add(row);
      return next;
    });
  const foldAll = () =>
    setFolded(new Set(outline.descendants.flatMap((below, row) => (below > 0 && row > 0 ? [row] : []))));

  const listHeight = Math.min(LIST_MAX_HEIGHT, Math.max(rows.length, 1) * SESSION_ROW_HEIGHT + 2);
  const root = details.get(0);
  return (
    <Section
      id="session"
      title="Session"
      actions={
        <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="session-summary">
          {session.total.toLocaleString("en")} processes · {session.alerts.length} alerts{" "}
          {GROUPING_LABELS[session.grouping]}
        </span>
      }
    >
      {session.truncated ? (
        <p
          role="status"
          className="mb-2 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          Session truncated: it has more than {session.maxProcesses.toLocaleString("en")} processes; the ones nearest
          the leader are listed, the deepest levels left out.
        </p>
      ) : null}
      {session.alerts.length > 0 ? (
        <nav className="mb-2 flex flex-wrap items-center gap-1.5 text-xs" aria-label="Alerts in this session">
          <span className="text-slate-500">Processes with alerts:</span>
          {alertedProcesses.slice(0, MAX_JUMPS).map((entry) => (
            <button
              key={entry.row}
              type="button"
              onClick={() => jump(entry.row)}
              title={`Show in the session: ${entry.alerts.map((alert) => alert.ruleName).join("; ")}`}
              className={`rounded border border-slate-200 px-1.5 py-0.5 font-mono hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800 ${
                entry.alerts.some((alert) => alert.id === alertId) ? "ring-1 ring-amber-500" : ""
              }`}
            >
              <span className={`font-sans font-semibold uppercase ${SEVERITY_TEXT[entry.severity] ?? ""}`}>
                {entry.severity}
              </span>{" "}
              {entry.name}
              {entry.alerts.length > 1 ? (
                <span className="font-sans text-slate-500"> ×{entry.alerts.length}</span>
              ) : null}
            </button>
          ))}
          {alertedProcesses.length > MAX_JUMPS ? (
            <span className="text-slate-500">and {alertedProcesses.length - MAX_JUMPS} more</span>
          ) : null}
        </nav>
      ) : null}
      <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
        <input
          type="search"
          value={searchText}
          onChange={(event) => setSearchText(event.target.value)}
          placeholder="Search the session: name, arguments, user, directory"
          aria-label="Search the session"
          maxLength={200}
          className="w-64 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-800"
        />
        {q ? (
          <span aria-live="polite" data-testid="session-search-count">
            {search.isFetching && !search.data
              ? "Searching…"
              : `${matches.size.toLocaleString("en")} ${matches.size === 1 ? "match" : "matches"}`}
          </span>
        ) : null}
        <label className="inline-flex items-center gap-1">
          <input type="checkbox" checked={alertsOnly} onChange={(event) => setAlertsOnly(event.target.checked)} />
          Show only alerts' branches
        </label>
        <button type="button" className={BUTTON} onClick={() => setFolded(new Set())}>
          Unfold all
        </button>
        <button type="button" className={BUTTON} onClick={foldAll}>
          Fold all
        </button>
      </div>
      {rows.length === 0 ? (
        <Muted>{q ? "No process of the session matches." : "No process to show."}</Muted>
      ) : (
        <div
          ref={scrollRef}
          className="overflow-auto rounded border border-slate-200 dark:border-slate-800"
          style={{ height: listHeight }}
        >
          <ul
            aria-label={`Processes of the session${root?.name ? ` led by ${root.name}` : ""}`}
            data-testid="session-list"
            className="relative w-full font-mono text-xs"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const row = rows[item.index] as number;
              return (
                <SessionRow
                  key={row}
                  row={row}
                  top={item.start}
                  height={SESSION_ROW_HEIGHT}
                  depth={outline.depth[row] ?? 0}
                  hasChildren={(outline.descendants[row] ?? 0) > 0}
                  folded={folded.has(row)}
                  hiddenBelow={folded.has(row) ? (outline.descendants[row] ?? 0) : 0}
                  process={details.get(row)}
                  currentAlertId={alertId}
                  alerts={session.alerts}
                  isMatch={matches.has(row)}
                  onToggle={toggle}
                />
              );
            })}
          </ul>
        </div>
      )}
    </Section>
  );
}

/** The session's alerts gathered by process, in display order, each with its most severe alert's severity. */
function byProcess(alerts: SessionAlert[]): { row: number; name: string; severity: string; alerts: SessionAlert[] }[] {
  const entries = new Map<number, { row: number; name: string; severity: string; alerts: SessionAlert[] }>();
  for (const alert of alerts) {
    const entry = entries.get(alert.row);
    if (!entry) {
      entries.set(alert.row, {
        row: alert.row,
        name: alert.processName ?? "process",
        severity: alert.severity,
        alerts: [alert],
      });
      continue;
    }
    entry.alerts.push(alert);
    if (SEVERITY_ORDER.indexOf(alert.severity) > SEVERITY_ORDER.indexOf(entry.severity))
      entry.severity = alert.severity;
  }
  return [...entries.values()].sort((a, b) => a.row - b.row);
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
