"use client";

import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { silentSourcesText } from "./format";
import { SourcesTable } from "./SourcesTable";
import { useSources } from "./sources-queries";

function HowToPush() {
  return (
    <>
      <p>
        Every API token with the <code className="font-mono">ingest</code> role is a source. An admin creates one in{" "}
        <Link href="/settings?tab=tokens" className="text-sky-700 underline dark:text-sky-400">
          Settings → API tokens
        </Link>{" "}
        (or <code className="font-mono">keelwatch token create --name sensor-1 --role ingest</code>); the sensor then
        posts its events, one or many NDJSON lines per request, without a file name:
      </p>
      <pre className="mt-3 overflow-x-auto rounded bg-slate-100 px-3 py-2 text-left font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-100">
        {
          'curl -sS -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" \\\n  --data-binary @events.ndjson "http://localhost:3000/api/events"'
        }
      </pre>
      <p className="mt-3">
        Its pushes form one stream, listed here rather than under Uploads. Falcosidekick&apos;s webhook, Fluent
        Bit&apos;s <code className="font-mono">http</code> output and Vector&apos;s{" "}
        <code className="font-mono">http</code> sink push this way; <code className="font-mono">docs/api.md</code> shows
        their requests.
      </p>
    </>
  );
}

/** The Sources page: each sensor token's stream, its health, its activity and its latest rejected lines. */
export function SourcesPage() {
  const sources = useSources();
  const silent = sources.data?.silent ?? 0;
  return (
    <>
      <PageHeader
        title="Sources"
        description="Sensors and shippers that push events with an API token: what each sends, how often, and what it gets wrong."
      />
      {sources.isError ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          The sources could not be loaded: {sources.error.message} Reload the page to try again.
        </p>
      ) : sources.isPending ? (
        <div
          role="status"
          aria-label="Loading sources"
          className="h-40 animate-pulse rounded-lg bg-slate-200 dark:bg-slate-800"
        />
      ) : sources.data.items.length === 0 ? (
        <EmptyState title="No sources yet">
          <HowToPush />
        </EmptyState>
      ) : (
        <>
          {silent > 0 ? (
            <p
              data-testid="silent-sources-summary"
              className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
            >
              {silentSourcesText(silent)}: nothing arrived from {silent === 1 ? "it" : "them"} for much longer than
              usual.
            </p>
          ) : null}
          <SourcesTable sources={sources.data.items} />
          <details className="mt-6 text-sm text-slate-600 dark:text-slate-400">
            <summary className="cursor-pointer font-medium">Add a source</summary>
            <div className="mt-2 max-w-3xl">
              <HowToPush />
            </div>
          </details>
        </>
      )}
    </>
  );
}
