"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { type AlertListState, readListState, writeListState } from "./list-state";

/** Reads and writes the list state in the address bar. */
export function useListUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => readListState(new URLSearchParams(params.toString())), [params]);

  const setState = useCallback(
    (next: AlertListState, options: { replace?: boolean } = {}) => {
      const query = writeListState(next).toString();
      const href = query ? `${pathname}?${query}` : pathname;
      if (options.replace) router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    },
    [pathname, router],
  );

  return { ...state, setState };
}
