"use client";

import { useState } from "react";
import { dangerButtonClass, formatDate, secondaryButtonClass } from "../fields";
import { SettingsTable } from "../SettingsTable";
import {
  type ChannelRow,
  type TestResult,
  useDeleteChannel,
  useTestChannel,
  useUpdateChannel,
} from "./notification-queries";

const STATE_CLASS: Record<ChannelRow["state"], string> = {
  ok: "text-emerald-700 dark:text-emerald-400",
  failing: "font-semibold text-red-700 dark:text-red-400",
  disabled: "text-slate-500",
};
const STATE_LABEL: Record<ChannelRow["state"], string> = { ok: "OK", failing: "Failing", disabled: "Disabled" };

function where(channel: ChannelRow): string {
  if (channel.kind === "email") {
    const to = Array.isArray(channel.config.to) ? (channel.config.to as string[]).join(", ") : "";
    return `${String(channel.config.host ?? "")}:${String(channel.config.port ?? "")} → ${to}`;
  }
  const extras = [
    channel.secretsSet.hmacSecret ? "signed" : null,
    channel.secretsSet.headers.length ? `headers: ${channel.secretsSet.headers.join(", ")}` : null,
  ].filter(Boolean);
  return `${channel.target ?? "URL not readable"}${extras.length ? ` (${extras.join("; ")})` : ""}`;
}

export function ChannelsTable({ channels }: { channels: ChannelRow[] }) {
  return (
    <SettingsTable columns={["Name", "Type", "Sends to", "State", "Queued"]}>
      {channels.map((channel) => (
        <ChannelRowView key={channel.id} channel={channel} />
      ))}
    </SettingsTable>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  return (
    <p role="status" className={`mt-1 text-xs ${result.ok ? "text-emerald-700" : "text-red-700"}`}>
      {result.ok
        ? `Test message delivered${result.statusCode ? ` (${result.statusCode})` : ""}.`
        : `Test failed: ${result.error}`}
    </p>
  );
}

function ChannelRowView({ channel }: { channel: ChannelRow }) {
  const test = useTestChannel();
  const update = useUpdateChannel();
  const remove = useDeleteChannel();
  const [confirming, setConfirming] = useState(false);
  return (
    <tr data-testid={`channel-row-${channel.name}`}>
      <td className="px-3 py-2 font-medium">{channel.name}</td>
      <td className="px-3 py-2">{channel.kind}</td>
      <td className="max-w-xs px-3 py-2 break-words text-xs">{where(channel)}</td>
      <td className="max-w-sm px-3 py-2" data-testid="channel-state">
        <span className={STATE_CLASS[channel.state]}>{STATE_LABEL[channel.state]}</span>
        {channel.state === "failing" ? (
          <span className="block text-xs">{channel.consecutiveFailures} failed attempts in a row</span>
        ) : null}
        {channel.lastError && channel.state !== "ok" ? (
          <span className="block break-words text-xs text-red-700 dark:text-red-400" data-testid="channel-last-error">
            {channel.lastError} ({formatDate(channel.lastErrorAt)})
          </span>
        ) : null}
        {channel.lastSuccessAt ? (
          <span className="block text-xs text-slate-500">last delivered {formatDate(channel.lastSuccessAt)}</span>
        ) : null}
      </td>
      <td className="px-3 py-2 tabular-nums">{channel.pendingDeliveries}</td>
      <td className="px-3 py-2 text-right">
        <div className="flex flex-wrap items-center justify-end gap-2">
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={test.isPending}
            onClick={() => test.mutate(channel.id)}
          >
            {test.isPending ? "Sending…" : `Test ${channel.name}`}
          </button>
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: channel.id, patch: { enabled: !channel.enabled } })}
          >
            {channel.enabled ? "Disable" : "Enable"}
          </button>
          {confirming ? (
            <>
              <button
                type="button"
                className={dangerButtonClass}
                disabled={remove.isPending}
                onClick={() => remove.mutate(channel.id, { onSettled: () => setConfirming(false) })}
              >
                Confirm delete
              </button>
              <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
              Delete {channel.name}
            </button>
          )}
        </div>
        {test.data ? <TestOutcome result={test.data} /> : null}
        {[test, update, remove].map((mutation, index) =>
          mutation.isError ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: three fixed mutations, always in this order
            <p key={index} role="alert" className="mt-1 text-xs text-red-700">
              {mutation.error.message}
            </p>
          ) : null,
        )}
      </td>
    </tr>
  );
}
