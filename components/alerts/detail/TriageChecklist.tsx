"use client";

import { useEffect, useId, useState } from "react";
import type { AlertDetail } from "@/lib/db/alert-detail";
import type { AlertPatch } from "@/lib/db/alert-updates";
import { formatTime } from "./format";
import { stepState } from "./optimistic";
import { BUTTON, Muted, PRIMARY_BUTTON, Section } from "./Section";

type Kind = "triage" | "response";

/** The rule's triage and response steps as a checklist that remembers who did what, and when. */
export function TriageChecklist({
  alert,
  canTriage,
  onPatch,
}: {
  alert: AlertDetail;
  canTriage: boolean;
  onPatch: (patch: AlertPatch) => void;
}) {
  return (
    <Section id="checklist" title="Triage checklist">
      <div className="space-y-4">
        <StepList
          kind="triage"
          title="Triage steps"
          steps={alert.rule.triageSteps}
          alert={alert}
          canTriage={canTriage}
          onPatch={onPatch}
        />
        <StepList
          kind="response"
          title="Response steps"
          steps={alert.rule.responseSteps}
          alert={alert}
          canTriage={canTriage}
          onPatch={onPatch}
        />
      </div>
    </Section>
  );
}

function StepList({
  kind,
  title,
  steps,
  alert,
  canTriage,
  onPatch,
}: {
  kind: Kind;
  title: string;
  steps: string[];
  alert: AlertDetail;
  canTriage: boolean;
  onPatch: (patch: AlertPatch) => void;
}) {
  const done = steps.filter((_, index) => stepState(alert, kind, index)?.checked).length;
  return (
    <div>
      <h3 className="mb-2 flex items-baseline justify-between text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        <span>{title}</span>
        <span className="font-normal normal-case">
          {done}/{steps.length} done
        </span>
      </h3>
      {steps.length === 0 ? (
        <Muted>The rule lists no {kind} steps.</Muted>
      ) : (
        <ol className="space-y-2">
          {steps.map((text, index) => (
            <Step
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are addressed by their position in the rule
              key={index}
              kind={kind}
              index={index}
              text={text}
              alert={alert}
              canTriage={canTriage}
              onPatch={onPatch}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function Step({
  kind,
  index,
  text,
  alert,
  canTriage,
  onPatch,
}: {
  kind: Kind;
  index: number;
  text: string;
  alert: AlertDetail;
  canTriage: boolean;
  onPatch: (patch: AlertPatch) => void;
}) {
  const state = stepState(alert, kind, index);
  const saved = state?.checked ?? false;
  // The box shows a click at once, until the alert (its optimistic copy, made by useAlertPatch) agrees. That copy
  // reaches this component only after an await and a scheduled render, and until then a controlled checkbox
  // springs back to its old state, as if the click had missed. Once the copy agrees, the alert decides again, so a
  // failed save still shows the step as it was.
  const [clicked, setClicked] = useState<boolean | null>(null);
  useEffect(() => {
    if (clicked === saved) setClicked(null);
  }, [clicked, saved]);
  const checked = clicked ?? saved;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const id = useId();
  const testId = `${kind}-step-${index}`;
  const saveNote = () => {
    onPatch({ step: { kind, stepIndex: index, checked, note: draft } });
    setEditing(false);
  };
  return (
    <li
      data-testid={testId}
      className={`rounded-md border px-2.5 py-2 ${
        checked
          ? "border-emerald-200 bg-emerald-50/60 dark:border-emerald-900 dark:bg-emerald-950/40"
          : "border-slate-200 dark:border-slate-800"
      }`}
    >
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={!canTriage}
          onChange={(e) => {
            setClicked(e.target.checked);
            onPatch({ step: { kind, stepIndex: index, checked: e.target.checked } });
          }}
          className="mt-0.5 h-4 w-4 shrink-0 accent-emerald-700"
        />
        <label htmlFor={id} className="min-w-0 flex-1 cursor-pointer leading-snug">
          <span className="mr-1 text-slate-400">{index + 1}.</span>
          {text}
        </label>
        {canTriage && !editing ? (
          <button
            type="button"
            className={BUTTON}
            onClick={() => {
              setDraft(state?.note ?? "");
              setEditing(true);
            }}
            aria-label={`${state?.note ? "Edit" : "Add"} note on ${kind} step ${index + 1}`}
          >
            {state?.note ? "Edit note" : "Note"}
          </button>
        ) : null}
      </div>
      {checked && state?.checkedBy ? (
        <p className="mt-1 pl-6 text-xs text-slate-600 dark:text-slate-400" data-testid={`${testId}-checked-by`}>
          Checked by {state.checkedBy.name}
          {state.checkedAt ? (
            <>
              {" · "}
              <time dateTime={state.checkedAt} title={formatTime(state.checkedAt)}>
                {formatTime(state.checkedAt)}
              </time>
            </>
          ) : null}
        </p>
      ) : null}
      {state?.note && !editing ? (
        <p className="mt-1 whitespace-pre-wrap pl-6 text-xs text-slate-700 italic dark:text-slate-300">{state.note}</p>
      ) : null}
      {editing ? (
        <div className="mt-2 pl-6">
          <label htmlFor={`${id}-note`} className="sr-only">
            Note on {kind} step {index + 1}
          </label>
          <textarea
            id={`${id}-note`}
            value={draft}
            maxLength={2000}
            rows={2}
            // biome-ignore lint/a11y/noAutofocus: opened by the analyst's own click, focus belongs here
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) saveNote();
              if (e.key === "Escape") setEditing(false);
            }}
            className="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-700 dark:bg-slate-950"
          />
          <div className="mt-1 flex gap-2">
            <button type="button" className={PRIMARY_BUTTON} onClick={saveNote}>
              Save note
            </button>
            <button type="button" className={BUTTON} onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
