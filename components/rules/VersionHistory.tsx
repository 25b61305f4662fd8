"use client";

import type { Rule } from "@/lib/rules/schema";
import { formatWhen } from "./badges";
import type { RuleDetail } from "./rules-queries";

/** Fields compared between versions; `enabled` is state, not content, and is not versioned. */
const COMPARED: (keyof Rule)[] = [
  "name",
  "description",
  "query",
  "severity",
  "riskScore",
  "tags",
  "threat",
  "interval",
  "lookback",
  "maxAlertsPerRun",
  "guide",
  "triageSteps",
  "responseSteps",
  "falsePositives",
  "references",
  "authors",
  "license",
  "eventCategoryField",
  "timestampField",
  "tiebreakerField",
];

export function changedFields(older: Rule, newer: Rule): (keyof Rule)[] {
  return COMPARED.filter((field) => JSON.stringify(older[field]) !== JSON.stringify(newer[field]));
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2);
}

/** Each earlier version with what the next save changed in it, oldest changes last. */
export function VersionHistory({ detail }: { detail: RuleDetail }) {
  if (detail.versions.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        Version {detail.rule.version} is the only version: the rule was never edited.
      </p>
    );
  }
  const newerOf = (index: number): Rule =>
    index === 0 ? detail.rule : (detail.versions[index - 1]?.rule ?? detail.rule);
  return (
    <ol className="space-y-2 text-sm" aria-label="Version history">
      <li className="text-slate-600 dark:text-slate-400">
        <span className="font-semibold">v{detail.rule.version}</span> (current) · saved {formatWhen(detail.updatedAt)}
      </li>
      {detail.versions.map((version, index) => {
        const newer = newerOf(index);
        const fields = changedFields(version.rule, newer);
        return (
          <li key={version.version} className="rounded border border-slate-200 dark:border-slate-800">
            <details>
              <summary className="cursor-pointer px-3 py-2">
                <span className="font-semibold">v{version.version}</span> · kept {formatWhen(version.createdAt)}
                {version.createdBy ? ` · replaced by ${version.createdBy}` : ""}
                <span className="text-slate-500"> — then changed: {fields.length ? fields.join(", ") : "nothing"}</span>
              </summary>
              <div className="space-y-3 border-t border-slate-200 px-3 py-2 dark:border-slate-800">
                {fields.map((field) => (
                  <div key={field}>
                    <p className="text-xs font-semibold uppercase text-slate-500">{field}</p>
                    <div className="mt-1 grid gap-2 md:grid-cols-2">
                      <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-red-50 p-2 font-mono text-xs dark:bg-red-950">
                        {show(version.rule[field])}
                      </pre>
                      <pre className="overflow-x-auto whitespace-pre-wrap rounded bg-emerald-50 p-2 font-mono text-xs dark:bg-emerald-950">
                        {show(newer[field])}
                      </pre>
                    </div>
                  </div>
                ))}
              </div>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
