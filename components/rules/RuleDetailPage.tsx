"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Chip, EnabledSwitch, formatWhen, SeverityBadge } from "./badges";
import { RuleActions } from "./RuleActions";
import { RuleEditor } from "./RuleEditor";
import { RuleGuide } from "./RuleGuide";
import { RulePreview } from "./RulePreview";
import { useRule, useToggleRule } from "./rules-queries";
import { SafeLink } from "./SafeLink";
import { VersionHistory } from "./VersionHistory";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-2 text-base font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function TextList({ items, ordered, empty }: { items: string[]; ordered?: boolean; empty: string }) {
  if (items.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  const List = ordered ? "ol" : "ul";
  return (
    <List className={`space-y-1 pl-5 text-sm ${ordered ? "list-decimal" : "list-disc"}`}>
      {items.map((item) => (
        <li key={item} className="whitespace-pre-wrap">
          {item}
        </li>
      ))}
    </List>
  );
}

export function RuleDetailPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const detail = useRule(id);
  const toggle = useToggleRule();
  // ?edit=1 opens the editor at once (a rule just created from a hunt).
  const editRequested = useSearchParams().get("edit") === "1";
  const [editing, setEditing] = useState(canWrite && editRequested);
  // The editor's unsaved query, which the preview runs while the editor is open.
  const [draftQuery, setDraftQuery] = useState<string | null>(null);

  if (detail.isPending) return <p className="text-sm text-slate-500">Loading rule…</p>;
  if (detail.isError) {
    return (
      <p role="alert" className="text-sm text-red-700">
        Could not load the rule: {detail.error.message}
      </p>
    );
  }
  const { rule, builtin, tactics } = detail.data;
  const previewQuery = editing && draftQuery !== null ? draftQuery : rule.query;
  const closeEditor = () => {
    setEditing(false);
    setDraftQuery(null);
  };

  return (
    <div className="space-y-4">
      <nav className="text-sm">
        <Link href="/rules" className="text-sky-700 hover:underline dark:text-sky-400">
          ← Rules
        </Link>
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{rule.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            <SeverityBadge severity={rule.severity} />
            <span>risk {rule.riskScore}</span>
            <span>· {rule.type.toUpperCase()}</span>
            <span>
              · {builtin ? "built-in" : "custom"} ({rule.origin})
            </span>
            <span>· v{rule.version}</span>
            <span>
              · alerts {detail.data.alerts24h} in 24 h, {detail.data.alerts7d} in 7 d, last{" "}
              {formatWhen(detail.data.lastAlertAt)}
            </span>
          </p>
        </div>
        <div className="flex items-center gap-3">
          <span className="flex items-center gap-2 text-sm">
            <EnabledSwitch
              enabled={rule.enabled}
              label={`Enable ${rule.name}`}
              disabled={!canWrite}
              onChange={(enabled) => toggle.mutate({ id: rule.id, enabled })}
            />
            {rule.enabled ? "Enabled" : "Disabled"}
          </span>
          {canWrite && !editing ? (
            <button
              type="button"
              onClick={() => setEditing(true)}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Edit rule
            </button>
          ) : null}
          {canWrite ? <RuleActions rule={rule} builtin={builtin} /> : null}
        </div>
      </header>
      {toggle.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not change the rule: {toggle.error.message}
        </p>
      ) : null}

      {editing ? (
        <Section title="Edit rule">
          {/* Keyed by version so a save (or someone else's) starts the form from the stored rule. */}
          <RuleEditor key={rule.version} rule={rule} onDone={closeEditor} onQueryChange={setDraftQuery} />
        </Section>
      ) : null}

      <Section title="Description">
        <p className="whitespace-pre-wrap text-sm">{rule.description}</p>
        {rule.tags.length > 0 ? (
          <div className="mt-3 flex flex-wrap gap-1">
            {rule.tags.map((tag) => (
              <Chip key={tag}>{tag}</Chip>
            ))}
          </div>
        ) : null}
      </Section>

      <Section title="Query">
        <pre
          data-testid="rule-query"
          className="overflow-x-auto rounded bg-slate-50 p-3 font-mono text-xs leading-5 dark:bg-slate-950"
        >
          {rule.query}
        </pre>
        <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-slate-600 sm:grid-cols-4 dark:text-slate-400">
          <dt>Runs every</dt>
          <dd>{rule.interval}</dd>
          <dt>Looks back to</dt>
          <dd>{rule.lookback}</dd>
          <dt>Max alerts per run</dt>
          <dd>{rule.maxAlertsPerRun}</dd>
          <dt>Category field</dt>
          <dd className="font-mono">{rule.eventCategoryField}</dd>
        </dl>
      </Section>

      <Section title="Preview">
        <RulePreview
          query={previewQuery}
          edited={previewQuery !== rule.query}
          settings={{
            eventCategoryField: rule.eventCategoryField,
            timestampField: rule.timestampField,
            tiebreakerField: rule.tiebreakerField,
          }}
        />
      </Section>

      <Section title="Investigation guide">
        <RuleGuide markdown={rule.guide} />
      </Section>

      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Triage steps">
          <TextList items={rule.triageSteps} ordered empty="No triage steps." />
        </Section>
        <Section title="Response steps">
          <TextList items={rule.responseSteps} ordered empty="No response steps." />
        </Section>
        <Section title="False positives">
          <TextList items={rule.falsePositives} empty="None recorded." />
        </Section>
        <Section title="MITRE ATT&CK">
          {tactics.length === 0 ? (
            <p className="text-sm text-slate-500">No tactics recorded.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {rule.threat.map((entry) => (
                <li key={`${entry.tactic.id}-${entry.technique?.map((t) => t.id).join(",")}`}>
                  <SafeLink href={entry.tactic.reference}>
                    {entry.tactic.name} ({entry.tactic.id})
                  </SafeLink>
                  {entry.technique?.length ? (
                    <ul className="ml-4 list-disc pl-4 text-xs">
                      {entry.technique.map((technique) => (
                        <li key={technique.id}>
                          <SafeLink href={technique.reference}>
                            {technique.name} ({technique.id})
                          </SafeLink>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title="References">
          {rule.references.length === 0 ? (
            <p className="text-sm text-slate-500">No references.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {rule.references.map((reference) => (
                <li key={reference}>
                  <SafeLink href={reference}>{reference}</SafeLink>
                </li>
              ))}
            </ul>
          )}
          {rule.authors.length > 0 ? (
            <p className="mt-2 text-xs text-slate-500">
              By {rule.authors.join(", ")}
              {rule.license ? ` · ${rule.license}` : ""}
            </p>
          ) : null}
        </Section>
      </div>

      <Section title="Version history">
        <VersionHistory detail={detail.data} />
      </Section>
    </div>
  );
}
