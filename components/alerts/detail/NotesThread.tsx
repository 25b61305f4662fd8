"use client";

import { useId, useState } from "react";
import type { AlertNoteView } from "@/lib/db/alert-detail";
import type { AlertPatch } from "@/lib/db/alert-updates";
import { formatTime } from "./format";
import { Muted, PRIMARY_BUTTON, Section } from "./Section";

const MAX = 10_000;

/** Analysts' notes, oldest first, shown as plain text. */
export function NotesThread({
  notes,
  canTriage,
  onPatch,
}: {
  notes: AlertNoteView[];
  canTriage: boolean;
  onPatch: (patch: AlertPatch) => void;
}) {
  const [draft, setDraft] = useState("");
  const id = useId();
  const submit = () => {
    if (draft.trim() === "" || draft.length > MAX) return;
    onPatch({ note: { body: draft } });
    setDraft("");
  };
  return (
    <Section id="notes" title={`Notes (${notes.length})`}>
      {notes.length === 0 ? (
        <Muted>No notes yet.</Muted>
      ) : (
        <ol className="space-y-2" data-testid="notes">
          {notes.map((note) => (
            <li key={note.id} className="rounded-md bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
              <p className="mb-0.5 text-xs text-slate-500 dark:text-slate-400">
                <span className="font-medium text-slate-700 dark:text-slate-200">{note.author?.name ?? "unknown"}</span>
                {" · "}
                <time dateTime={note.createdAt}>{formatTime(note.createdAt)}</time>
              </p>
              <p className="whitespace-pre-wrap break-words">{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canTriage ? (
        <form
          className="mt-3"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600 dark:text-slate-300">
            Add a note
          </label>
          <textarea
            id={id}
            value={draft}
            rows={3}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              }
            }}
            aria-describedby={`${id}-hint`}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
          />
          <div className="mt-1 flex items-center justify-between">
            <span id={`${id}-hint`} className={`text-xs ${draft.length > MAX ? "text-red-700" : "text-slate-500"}`}>
              {draft.length.toLocaleString()}/{MAX.toLocaleString()} · Ctrl+Enter to add
            </span>
            <button type="submit" className={PRIMARY_BUTTON} disabled={draft.trim() === "" || draft.length > MAX}>
              Add note
            </button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}
