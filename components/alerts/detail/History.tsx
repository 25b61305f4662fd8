import type { AlertChangeView } from "@/lib/db/alert-detail";
import { describeChange, formatTime } from "./format";
import { Muted, Section } from "./Section";

/** Every change to the alert, newest first. */
export function History({ history, createdAt }: { history: AlertChangeView[]; createdAt: string }) {
  const newestFirst = [...history].reverse();
  return (
    <Section id="history" title="History">
      <ol className="space-y-1.5 text-xs" data-testid="history">
        {newestFirst.map((change) => (
          <li key={change.id} className="flex flex-col">
            <span>
              <span className="font-medium">{change.actor?.name ?? "system"}</span> {describeChange(change)}
            </span>
            <time dateTime={change.createdAt} className="text-slate-500">
              {formatTime(change.createdAt)}
            </time>
          </li>
        ))}
        <li className="flex flex-col">
          <span>Alert raised</span>
          <time dateTime={createdAt} className="text-slate-500">
            {formatTime(createdAt)}
          </time>
        </li>
      </ol>
      {history.length === 0 ? (
        <div className="mt-2">
          <Muted>No one has changed this alert yet.</Muted>
        </div>
      ) : null}
    </Section>
  );
}
