"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { Chip, EnabledSwitch, formatWhen, SeverityBadge } from "./badges";
import { ImportRulesDialog } from "./ImportRulesDialog";
import { type RuleListItem, type RulesFilter, useRules, useToggleRule } from "./rules-queries";

const FILTER_KEYS = ["q", "enabled", "severity", "tag", "origin"] as const;
const SEVERITIES = ["low", "medium", "high", "critical"];
const ORIGINS = ["elastic", "datadog", "custom"];
const TAGS_SHOWN = 3;

const selectClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
const buttonClass =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

/** The filter lives in the address bar, so a filtered list can be bookmarked and shared. */
function useFilterInUrl(): [RulesFilter, (next: RulesFilter) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filter = useMemo(() => {
    const read: RulesFilter = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key)?.trim();
      if (value) (read as Record<string, string>)[key] = value;
    }
    return read;
  }, [params]);
  const setFilter = (next: RulesFilter) => {
    const query = new URLSearchParams();
    for (const key of FILTER_KEYS) if (next[key]) query.set(key, next[key] as string);
    const text = query.toString();
    router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
  };
  return [filter, setFilter];
}

export function RulesView({ canWrite }: { canWrite: boolean }) {
  const [filter, setFilter] = useFilterInUrl();
  const rules = useRules(filter);
  const toggle = useToggleRule();
  const [search, setSearch] = useState(filter.q ?? "");
  const [importing, setImporting] = useState(false);

  // Typing updates the address bar (and so the query) after a short pause, not on every key.
  useEffect(() => {
    const handle = setTimeout(() => {
      if ((filter.q ?? "") !== search.trim()) setFilter({ ...filter, q: search.trim() || undefined });
    }, 300);
    return () => clearTimeout(handle);
  });

  const set = (key: keyof RulesFilter, value: string) => setFilter({ ...filter, [key]: value || undefined });
  const filtered = FILTER_KEYS.some((key) => filter[key]);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-400">
          Search
          <input
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Name or description"
            className={`${selectClass} mt-1 w-64`}
          />
        </label>
        <FilterSelect label="Status" value={filter.enabled} onChange={(v) => set("enabled", v)}>
          <option value="true">Enabled</option>
          <option value="false">Disabled</option>
        </FilterSelect>
        <FilterSelect label="Severity" value={filter.severity} onChange={(v) => set("severity", v)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Source" value={filter.origin} onChange={(v) => set("origin", v)}>
          {ORIGINS.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </FilterSelect>
        {filter.tag ? (
          <button type="button" className={buttonClass} onClick={() => set("tag", "")}>
            Tag: {filter.tag} ✕
          </button>
        ) : null}
        {filtered ? (
          <button
            type="button"
            className="text-sm text-sky-700 underline dark:text-sky-400"
            onClick={() => {
              setSearch("");
              setFilter({});
            }}
          >
            Clear filters
          </button>
        ) : null}
        <div className="ml-auto flex gap-2">
          <a href="/api/rules/export" className={buttonClass} download>
            Export NDJSON
          </a>
          {canWrite ? (
            <button type="button" className={buttonClass} onClick={() => setImporting(true)}>
              Import rules…
            </button>
          ) : null}
        </div>
      </div>

      {toggle.isError ? (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          Could not change the rule: {toggle.error.message}
        </p>
      ) : null}

      {rules.isPending ? (
        <p className="text-sm text-slate-500">Loading rules…</p>
      ) : rules.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Could not load rules: {rules.error.message}
        </p>
      ) : rules.data.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center text-sm text-slate-600 dark:border-slate-700">
          {filtered
            ? "No rule matches these filters."
            : "There are no rules yet. Import Elastic TOML or Kibana NDJSON rules."}
        </p>
      ) : (
        <RulesTable
          rules={rules.data}
          canWrite={canWrite}
          onToggle={(rule, enabled) => toggle.mutate({ id: rule.id, enabled })}
          onTag={(tag) => set("tag", tag)}
        />
      )}
      {importing ? <ImportRulesDialog onClose={() => setImporting(false)} /> : null}
    </div>
  );
}

function FilterSelect({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  children: React.ReactNode;
}) {
  return (
    <label className="flex flex-col text-xs font-medium text-slate-600 dark:text-slate-400">
      {label}
      <select value={value ?? ""} onChange={(event) => onChange(event.target.value)} className={`${selectClass} mt-1`}>
        <option value="">Any</option>
        {children}
      </select>
    </label>
  );
}

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
const td = "px-3 py-2 align-top";

function RulesTable({
  rules,
  canWrite,
  onToggle,
  onTag,
}: {
  rules: RuleListItem[];
  canWrite: boolean;
  onToggle: (rule: RuleListItem, enabled: boolean) => void;
  onTag: (tag: string) => void;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full text-sm" aria-label="Rules">
        <thead className="border-b border-slate-200 dark:border-slate-800">
          <tr>
            <th className={th}>Enabled</th>
            <th className={th}>Name</th>
            <th className={th}>Severity</th>
            <th className={`${th} text-right`}>Risk</th>
            <th className={th}>Type</th>
            <th className={th}>Tags</th>
            <th className={th}>MITRE tactics</th>
            <th className={`${th} text-right`}>Alerts 24 h</th>
            <th className={`${th} text-right`}>Alerts 7 d</th>
            <th className={th}>Last alert</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rules.map((rule) => (
            <tr key={rule.id} data-testid="rule-row">
              <td className={td}>
                <EnabledSwitch
                  enabled={rule.enabled}
                  label={`Enable ${rule.name}`}
                  disabled={!canWrite}
                  onChange={(enabled) => onToggle(rule, enabled)}
                />
              </td>
              <td className={`${td} min-w-64`}>
                <Link
                  href={`/rules/${encodeURIComponent(rule.id)}`}
                  className="font-medium text-sky-800 hover:underline dark:text-sky-300"
                >
                  {rule.name}
                </Link>
                <div className="mt-0.5 text-xs text-slate-500">
                  {rule.builtin ? "built-in · " : ""}
                  {rule.origin} · v{rule.version}
                </div>
              </td>
              <td className={td}>
                <SeverityBadge severity={rule.severity} />
              </td>
              <td className={`${td} text-right tabular-nums`}>{rule.riskScore}</td>
              <td className={`${td} uppercase text-xs`}>{rule.type}</td>
              <td className={td}>
                <TagList tags={rule.tags} onTag={onTag} />
              </td>
              <td className={td}>
                <div className="flex max-w-56 flex-wrap gap-1">
                  {rule.tactics.map((tactic) => (
                    <Chip key={tactic.id} title={tactic.id}>
                      {tactic.name}
                    </Chip>
                  ))}
                </div>
              </td>
              <td className={`${td} text-right tabular-nums`}>{rule.alerts24h}</td>
              <td className={`${td} text-right tabular-nums`}>{rule.alerts7d}</td>
              <td className={`${td} whitespace-nowrap text-xs text-slate-600`}>{formatWhen(rule.lastAlertAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The first few tags as filter buttons; the rest behind "+N", so long Elastic tag lists do not swamp the table. */
function TagList({ tags, onTag }: { tags: string[]; onTag: (tag: string) => void }) {
  const [open, setOpen] = useState(false);
  const shown = open ? tags : tags.slice(0, TAGS_SHOWN);
  return (
    <div className="flex min-w-48 max-w-80 flex-wrap gap-1">
      {shown.map((tag) => (
        <button
          key={tag}
          type="button"
          title={`Show rules tagged "${tag}"`}
          onClick={() => onTag(tag)}
          className="rounded bg-slate-100 px-1.5 py-0.5 text-left text-xs text-slate-700 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300"
        >
          {tag}
        </button>
      ))}
      {tags.length > TAGS_SHOWN && !open ? (
        <button
          type="button"
          onClick={() => setOpen(true)}
          title={tags.slice(TAGS_SHOWN).join(", ")}
          className="rounded px-1.5 py-0.5 text-xs text-sky-700 hover:underline dark:text-sky-400"
        >
          +{tags.length - TAGS_SHOWN} more
        </button>
      ) : null}
    </div>
  );
}
