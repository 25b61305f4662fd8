"use client";

import Link from "next/link";
import { silentSourcesText } from "@/components/sources/format";
import { useSilentSourceCount } from "@/components/sources/sources-queries";

/**
 * The system panel's notice when sensors went quiet: a silent sensor raises no alerts, which looks exactly like
 * a quiet day. Nothing is shown while the count loads, fails or is zero.
 */
export function SilentSources() {
  const silent = useSilentSourceCount();
  if (!silent.isSuccess || silent.data === 0) return null;
  return (
    <p
      role="status"
      data-testid="silent-sources"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <Link href="/sources" className="font-semibold underline">
        {silentSourcesText(silent.data)}
      </Link>
      : no events for much longer than {silent.data === 1 ? "its" : "their"} usual gap between pushes.
    </p>
  );
}
