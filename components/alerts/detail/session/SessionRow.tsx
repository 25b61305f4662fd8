import Link from "next/link";
import type { SessionAlert, SessionProcess } from "@/lib/session/session";
import { formatTime } from "../format";
import { SEVERITY_TEXT } from "../SeverityBadge";

/**
 * One process of the session: its fold control, name, pid and arguments, then
 * user, working directory, start and exit, with the alerts raised on it. Every
 * string comes from events, so it is rendered as text only.
 */
export function SessionRow({
  row,
  top,
  height,
  depth,
  hasChildren,
  folded,
  hiddenBelow,
  process,
  currentAlertId,
  alerts,
  isMatch,
  onToggle,
}: {
  row: number;
  top: number;
  height: number;
  depth: number;
  hasChildren: boolean;
  folded: boolean;
  hiddenBelow: number;
  process: SessionProcess | undefined;
  currentAlertId: string;
  alerts: SessionAlert[];
  isMatch: boolean;
  onToggle: (row: number) => void;
}) {
  const name = process ? (process.name ?? process.executable?.split("/").pop() ?? process.entityId) : null;
  // The alert being read first, so that it shows when a row has more alerts than room.
  const ownAlerts = process
    ? alerts
        .filter((alert) => process.alertIds.includes(alert.id))
        .sort((a, b) => Number(b.id === currentAlertId) - Number(a.id === currentAlertId))
    : [];
  const isCurrent = ownAlerts.some((alert) => alert.id === currentAlertId);
  return (
    <li
      data-testid="session-row"
      data-row={row}
      data-loaded={process ? "true" : undefined}
      aria-current={isCurrent ? "true" : undefined}
      className={`absolute left-0 flex w-full flex-col justify-center border-b border-l-2 border-slate-100 pr-2 dark:border-slate-800 ${
        isCurrent
          ? "border-l-amber-500 bg-amber-50 dark:bg-amber-950/60"
          : ownAlerts.length > 0
            ? "border-l-red-400 bg-red-50/50 dark:bg-red-950/30"
            : "border-l-transparent"
      } ${isMatch ? "bg-yellow-100 dark:bg-yellow-900/40" : ""}`}
      style={{ top, height, paddingLeft: `${0.25 + depth * 1.1}rem` }}
    >
      <div className="flex min-w-0 items-center gap-1 whitespace-nowrap">
        <span className="sr-only">Level {depth + 1}: </span>
        {hasChildren ? (
          <button
            type="button"
            onClick={() => onToggle(row)}
            aria-expanded={!folded}
            aria-label={`${folded ? "Unfold" : "Fold"} the processes under ${name ?? `row ${row + 1}`}`}
            className="w-4 shrink-0 text-slate-500 hover:text-slate-900 dark:hover:text-white"
          >
            {folded ? "▸" : "▾"}
          </button>
        ) : (
          <span aria-hidden="true" className="w-4 shrink-0 text-center text-slate-300">
            ·
          </span>
        )}
        {process ? (
          <>
            <span className="font-semibold">{name}</span>
            {process.pid !== null ? <span className="text-slate-500">[{process.pid}]</span> : null}
            <span
              className="min-w-[6rem] flex-1 truncate text-slate-700 dark:text-slate-300"
              title={process.commandLine ?? ""}
            >
              {process.commandLine ?? process.executable ?? ""}
            </span>
            {folded ? <span className="shrink-0 font-sans text-slate-500">+{hiddenBelow} below</span> : null}
            <span className="flex min-w-0 shrink gap-1 overflow-hidden">
              {ownAlerts.map((alert) => (
                <Link
                  key={alert.id}
                  href={`/alerts/${encodeURIComponent(alert.id)}`}
                  data-testid="session-alert"
                  title={`${alert.ruleName} (${alert.status})`}
                  className="max-w-[11rem] shrink-0 truncate rounded border border-red-300 bg-white px-1 font-sans text-[10px] font-semibold hover:underline dark:border-red-800 dark:bg-slate-900"
                >
                  <span className={`uppercase ${SEVERITY_TEXT[alert.severity] ?? ""}`}>{alert.severity}</span>{" "}
                  {alert.id === currentAlertId ? "this alert" : alert.ruleName}
                </Link>
              ))}
            </span>
          </>
        ) : (
          <span className="text-slate-400">Loading…</span>
        )}
      </div>
      {process ? (
        <div className="flex min-w-0 gap-2 truncate pl-5 font-sans text-[11px] text-slate-500 dark:text-slate-400">
          {process.userName ? <span className="shrink-0">user {process.userName}</span> : null}
          {process.workingDirectory ? (
            <span className="min-w-0 truncate font-mono" title={process.workingDirectory}>
              in {process.workingDirectory}
            </span>
          ) : null}
          {process.start ? (
            <time dateTime={process.start} title={formatTime(process.start)} className="shrink-0">
              started {process.start.slice(11, 19)}
            </time>
          ) : null}
          <ExitText process={process} />
          {process.unreadable ? <span className="text-red-700 dark:text-red-400">{process.unreadable}</span> : null}
        </div>
      ) : null}
    </li>
  );
}

function ExitText({ process }: { process: SessionProcess }) {
  if (process.exitCode !== null) {
    return (
      <span className={process.exitCode === 0 ? "shrink-0" : "shrink-0 font-semibold text-red-700 dark:text-red-400"}>
        exit {process.exitCode}
      </span>
    );
  }
  if (process.end) return <span className="shrink-0">ended</span>;
  return <span className="shrink-0">no end received</span>;
}
