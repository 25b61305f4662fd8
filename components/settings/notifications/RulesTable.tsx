"use client";

import { secondaryButtonClass } from "../fields";
import { SettingsTable } from "../SettingsTable";
import { type ChannelRow, type RuleRow, useDeleteRule, useUpdateRule } from "./notification-queries";

function summaryOf(rule: RuleRow): string {
  const parts = [`${rule.minSeverity} and above`];
  if (rule.detectionRules.length) parts.push(`rules: ${rule.detectionRules.join(", ")}`);
  if (rule.tags.length) parts.push(`tags: ${rule.tags.join(", ")}`);
  if (rule.containerPattern) parts.push(`containers: ${rule.containerPattern}`);
  if (rule.namespacePattern) parts.push(`namespaces: ${rule.namespacePattern}`);
  if (rule.sources.length) parts.push(`${rule.sources.length} sensor token${rule.sources.length === 1 ? "" : "s"}`);
  return parts.join("; ");
}

export function RulesTable({ rules, channels }: { rules: RuleRow[]; channels: ChannelRow[] }) {
  const names = new Map(channels.map((channel) => [channel.id, channel.name]));
  return (
    <SettingsTable columns={["Name", "Alerts", "Channels", "Throttle"]}>
      {rules.map((rule) => (
        <RuleRowView key={rule.id} rule={rule} channelNames={names} />
      ))}
    </SettingsTable>
  );
}

function RuleRowView({ rule, channelNames }: { rule: RuleRow; channelNames: Map<string, string> }) {
  const update = useUpdateRule();
  const remove = useDeleteRule();
  return (
    <tr data-testid={`notification-rule-row-${rule.name}`} className={rule.enabled ? undefined : "text-slate-400"}>
      <td className="px-3 py-2 font-medium">{rule.name}</td>
      <td className="px-3 py-2 text-xs">{summaryOf(rule)}</td>
      <td className="px-3 py-2 text-xs">{rule.channelIds.map((id) => channelNames.get(id) ?? id).join(", ")}</td>
      <td className="px-3 py-2 text-xs">
        {rule.throttleMinutes ? `${rule.throttleMinutes} min, then a digest` : "off"}
      </td>
      <td className="px-3 py-2 text-right">
        <div className="flex justify-end gap-2">
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: rule.id, patch: { enabled: !rule.enabled } })}
          >
            {rule.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={remove.isPending}
            onClick={() => remove.mutate(rule.id)}
          >
            Delete {rule.name}
          </button>
        </div>
        {update.isError || remove.isError ? (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {(update.error ?? remove.error)?.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
