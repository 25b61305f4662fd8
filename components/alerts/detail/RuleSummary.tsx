import type { AlertRuleSummary } from "@/lib/db/alert-detail";
import { SafeLink } from "./SafeLink";
import { Section } from "./Section";
import { SeverityBadge } from "./SeverityBadge";

export function RuleSummary({ rule }: { rule: AlertRuleSummary }) {
  return (
    <Section id="rule" title="Rule">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{rule.name}</span>
        <SeverityBadge severity={rule.severity} />
        <span className="text-xs text-slate-600 dark:text-slate-400">risk {rule.riskScore}</span>
        {rule.enabled ? null : (
          <span className="rounded bg-slate-200 px-1.5 text-xs text-slate-700 dark:bg-slate-700 dark:text-slate-200">
            disabled
          </span>
        )}
      </div>
      <p className="mt-2 whitespace-pre-line text-slate-700 dark:text-slate-300">{rule.description}</p>
      {rule.tactics.length > 0 || rule.techniques.length > 0 ? (
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
          <dt className="font-medium text-slate-500 dark:text-slate-400">MITRE tactics</dt>
          <dd className="flex flex-wrap gap-1">
            {rule.tactics.map((tactic) => (
              <AttackChip key={tactic.id} {...tactic} />
            ))}
          </dd>
          {rule.techniques.length > 0 ? (
            <>
              <dt className="font-medium text-slate-500 dark:text-slate-400">Techniques</dt>
              <dd className="flex flex-wrap gap-1">
                {rule.techniques.map((technique) => (
                  <AttackChip key={technique.id} {...technique} />
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {rule.falsePositives.length > 0 ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-xs font-medium text-slate-600 dark:text-slate-300">
            Known false positives ({rule.falsePositives.length})
          </summary>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-700 dark:text-slate-300">
            {rule.falsePositives.map((text) => (
              <li key={text} className="whitespace-pre-line">
                {text}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Section>
  );
}

function AttackChip({ id, name, reference }: { id: string; name: string; reference: string | null }) {
  const label = (
    <>
      <span className="font-mono">{id}</span> {name}
    </>
  );
  const className =
    "inline-flex gap-1 rounded border border-indigo-200 bg-indigo-50 px-1.5 py-0.5 text-indigo-900 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-200";
  return (
    <SafeLink href={reference} className={`${className} hover:underline`} fallbackClassName={className}>
      {label}
    </SafeLink>
  );
}
