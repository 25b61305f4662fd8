"use client";

import { EventStorage } from "@/components/system/EventStorage";
import { SilentSources } from "@/components/system/SilentSources";
import { useSystemHealth } from "./queries";

export function SystemStatus() {
  const health = useSystemHealth();
  if (health.isPending) {
    return (
      <div
        role="status"
        aria-label="Loading status"
        className="h-16 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800"
      />
    );
  }
  if (health.isError) {
    return (
      <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
        The Keelwatch server did not answer. Check that it is running, then reload this page.
      </p>
    );
  }
  const ok = health.data.db === "ok";
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-3 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
        <div>
          <dt className="text-slate-500">Server</dt>
          <dd className="font-medium" data-testid="server-status">
            {health.data.status}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Database</dt>
          <dd className={`font-medium ${ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700"}`}>
            {health.data.db}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Version</dt>
          <dd className="font-medium">{health.data.version}</dd>
        </div>
      </dl>
      <SilentSources />
      <EventStorage />
    </div>
  );
}
