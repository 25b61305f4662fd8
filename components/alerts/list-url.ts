"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { type AlertListState, readListState, writeListState } from "./list-state";

/**
 * Reads and writes the list state in the address bar.
 *
 * Changing a filter writes the URL with the History API, which Next.js folds
 * into its router (useSearchParams follows, Back and Forward work) without a
 * server round trip: the server renders rows for the URL a page is opened
 * with, and after that the list's own queries fetch what a new filter needs,
 * showing the previous rows as "Updating…" meanwhile.
 */
export function useListUrlState() {
  const params = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(() => readListState(new URLSearchParams(params.toString())), [params]);

  const setState = useCallback(
    (next: AlertListState, options: { replace?: boolean } = {}) => {
      const query = writeListState(next).toString();
      const href = query ? `${pathname}?${query}` : pathname;
      if (options.replace) window.history.replaceState(null, "", href);
      else window.history.pushState(null, "", href);
    },
    [pathname],
  );

  return { ...state, setState };
}
