"use client";

import Link from "next/link";
import { useEffect } from "react";
import { AlertTimeline } from "@/components/timeline/AlertTimeline";
import type { PersonRef } from "@/lib/db/alert-detail";
import { ContextPanel } from "./ContextPanel";
import { AlertApiError, useAlertDetail, useAlertPatch } from "./detail-queries";
import { EventFields } from "./EventFields";
import { formatTime } from "./format";
import { History } from "./History";
import { InvestigationGuide } from "./InvestigationGuide";
import { NotesThread } from "./NotesThread";
import { NotificationLog } from "./NotificationLog";
import { ProcessTree } from "./ProcessTree";
import { RelatedAlerts } from "./RelatedAlerts";
import { RuleSummary } from "./RuleSummary";
import { BUTTON } from "./Section";
import { SensorAlert } from "./SensorAlert";
import { SeverityBadge, StatusBadge } from "./SeverityBadge";
import { StatusControls } from "./StatusControls";
import { SessionView } from "./session/SessionView";
import { useSessionOutline } from "./session/session-queries";
import { TriageChecklist } from "./TriageChecklist";

/** One alert, everything an analyst needs to decide on it. */
export function AlertDetailPage({
  id,
  me,
  canTriage,
  canAddException,
}: {
  id: string;
  me: PersonRef;
  canTriage: boolean;
  canAddException: boolean;
}) {
  const query = useAlertDetail(id);
  // Asked for beside the alert, not after it: the session view then opens without a second wait.
  useSessionOutline(id);
  const { patch, pending, problem, dismissProblem } = useAlertPatch(id, me);
  const alert = query.data;

  // a: acknowledge, c: jump to the closing reason — not while typing.
  useEffect(() => {
    if (!alert || !canTriage) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key === "a" && alert.status === "open") {
        event.preventDefault();
        patch({ status: "acknowledged" });
      } else if (event.key === "c" && alert.status !== "closed") {
        event.preventDefault();
        document.getElementById("closing-reason")?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [alert, canTriage, patch]);

  if (query.isPending) return <DetailSkeleton />;
  if (query.isError) {
    const notFound = query.error instanceof AlertApiError && query.error.status === 404;
    return (
      <div
        role="alert"
        className="rounded-lg border border-red-200 bg-red-50 px-4 py-6 text-sm dark:border-red-900 dark:bg-red-950"
      >
        <h1 className="text-base font-semibold">{notFound ? "Alert not found" : "The alert could not be loaded"}</h1>
        <p className="mt-1">
          {notFound
            ? "It may have been deleted along with its rule, or the link is wrong."
            : `${query.error.message} Check that the server is running, then try again.`}
        </p>
        <div className="mt-3 flex gap-2">
          <Link href="/alerts" className={BUTTON}>
            Back to alerts
          </Link>
          {notFound ? null : (
            <button type="button" className={BUTTON} onClick={() => void query.refetch()}>
              Try again
            </button>
          )}
        </div>
      </div>
    );
  }
  if (!alert) return null;

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <nav aria-label="Breadcrumb" className="mb-1 text-xs">
            <Link href="/alerts" className="text-sky-700 hover:underline dark:text-sky-400">
              ← Alerts
            </Link>
          </nav>
          <h1 className="text-xl font-semibold tracking-tight">{alert.ruleName}</h1>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            {alert.suppressedCount ? (
              <span data-testid="suppressed-count">
                +{alert.suppressedCount} {alert.suppressedCount === 1 ? "repeat" : "repeats"} folded in by suppression
              </span>
            ) : null}
            <SeverityBadge severity={alert.severity} />
            <span>risk {alert.riskScore}</span>
            <StatusBadge status={alert.status} />
            <span>
              <time dateTime={alert.timestamp}>{formatTime(alert.timestamp)}</time>
            </span>
            {alert.context.containerName || alert.context.hostName ? (
              <span className="font-mono">
                {[alert.context.containerName, alert.context.hostName].filter(Boolean).join(" @ ")}
              </span>
            ) : null}
            <span className="text-slate-400">v{alert.version}</span>
            {pending ? <span aria-live="polite">Saving…</span> : null}
          </div>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          {canTriage ? (
            <span className="hidden text-xs text-slate-500 xl:inline">
              <kbd className="rounded border px-1">a</kbd> acknowledge · <kbd className="rounded border px-1">c</kbd>{" "}
              close
            </span>
          ) : null}
          {canAddException ? (
            <Link href={`/exceptions/new?fromAlert=${encodeURIComponent(alert.id)}`} className={BUTTON}>
              Add exception
            </Link>
          ) : null}
        </div>
      </header>

      {problem ? (
        <div
          role="alert"
          data-testid="patch-problem"
          className={`flex items-start justify-between gap-3 rounded-md border px-3 py-2 text-sm ${
            problem.kind === "conflict"
              ? "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
              : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
          }`}
        >
          <span>{problem.message}</span>
          <button type="button" className={BUTTON} onClick={dismissProblem}>
            Dismiss
          </button>
        </div>
      ) : null}

      {/* Status comes first on narrow screens; on wide ones it heads the side column. */}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem] lg:grid-rows-[auto_1fr]">
        <div className="min-w-0 lg:col-start-2 lg:row-start-1">
          <StatusControls alert={alert} me={me} canTriage={canTriage} onPatch={patch} />
        </div>
        <div className="min-w-0 space-y-4 lg:col-start-1 lg:row-span-2 lg:row-start-1">
          <SensorAlert events={alert.events} />
          <RuleSummary rule={alert.rule} />
          <TriageChecklist alert={alert} canTriage={canTriage} onPatch={patch} />
          <EventFields events={alert.events} />
          <ProcessTree tree={alert.processTree} />
          <SessionView alertId={alert.id} />
          <AlertTimeline alertId={alert.id} />
          <InvestigationGuide guide={alert.rule.guide} />
        </div>
        <div className="min-w-0 space-y-4 self-start lg:col-start-2 lg:row-start-2">
          <ContextPanel alert={alert} />
          <NotesThread notes={alert.notes} canTriage={canTriage} onPatch={patch} />
          <RelatedAlerts related={alert.related} />
          <History history={alert.history} createdAt={alert.createdAt} />
          <NotificationLog alertId={alert.id} />
        </div>
      </div>
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function DetailSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the alert" className="animate-pulse space-y-4">
      <div className="h-7 w-96 max-w-full rounded bg-slate-200 dark:bg-slate-800" />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-4">
          {[40, 56, 72].map((h) => (
            <div key={h} className="rounded-lg bg-slate-200 dark:bg-slate-800" style={{ height: `${h * 4}px` }} />
          ))}
        </div>
        <div className="space-y-4">
          {[32, 48].map((h) => (
            <div key={h} className="rounded-lg bg-slate-200 dark:bg-slate-800" style={{ height: `${h * 4}px` }} />
          ))}
        </div>
      </div>
    </div>
  );
}
