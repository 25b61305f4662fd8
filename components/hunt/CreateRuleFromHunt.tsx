"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useCreateRule } from "@/components/rules/rules-queries";
import { buttonClass } from "@/components/ui/button";

/**
 * "Create rule from this query": a new custom rule with the hunt's query,
 * then the rule editor opened on it (/rules/:id?edit=1) to finish it there.
 */
export function CreateRuleFromHunt({ query, onClose }: { query: string; onClose: () => void }) {
  const router = useRouter();
  const create = useCreateRule();
  const id = useId();
  const firstLine = query.trim().split("\n")[0]?.slice(0, 80) ?? "";
  const [name, setName] = useState(`Hunt: ${firstLine}`);
  const [severity, setSeverity] = useState("medium");
  const [risk, setRisk] = useState("47");

  function submit(event: React.FormEvent) {
    event.preventDefault();
    create.mutate(
      {
        name,
        description: `Created from a hunt: ${firstLine}`,
        type: "eql",
        query,
        severity,
        riskScore: Number(risk),
        origin: "custom",
        enabled: true,
      },
      { onSuccess: (rule) => router.push(`/rules/${encodeURIComponent(rule.id)}?edit=1`) },
    );
  }

  return (
    <form
      onSubmit={submit}
      aria-label="Create rule from this query"
      className="space-y-2 rounded-md border border-sky-200 bg-sky-50 p-3 text-sm dark:border-sky-900 dark:bg-sky-950"
    >
      <p>A new custom rule with this query, switched on: it runs on every upload from now on.</p>
      <div className="flex flex-wrap gap-3">
        <label htmlFor={`${id}-name`} className="flex flex-1 flex-col gap-1">
          Rule name
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
        <label htmlFor={`${id}-severity`} className="flex flex-col gap-1">
          Severity
          <select
            id={`${id}-severity`}
            value={severity}
            onChange={(event) => setSeverity(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          >
            {["low", "medium", "high", "critical"].map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-risk`} className="flex w-24 flex-col gap-1">
          Risk score
          <input
            id={`${id}-risk`}
            type="number"
            min={0}
            max={100}
            value={risk}
            onChange={(event) => setRisk(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          />
        </label>
      </div>
      {create.isError ? (
        <p role="alert" className="text-red-700">
          Could not create the rule: {create.error.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create rule and edit"}
        </button>
        <button type="button" className={buttonClass("ghost")} onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
