"use client";

import { useEffect, useState } from "react";
import { HINTS, type HintScreen, hintStorageKey } from "./hints";

/**
 * A short tip shown inline above a screen's content until the person hides it;
 * the choice is remembered per screen in localStorage. Nothing renders on the
 * server or before the stored choice is read, so a returning visitor never
 * sees it flash.
 */
export function FirstVisitHint({ screen }: { screen: HintScreen }) {
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    setVisible(readHidden(screen) !== true);
  }, [screen]);

  if (!visible) return null;

  function hide() {
    setVisible(false);
    try {
      window.localStorage.setItem(hintStorageKey(screen), "1");
    } catch {
      // Storage can be disabled (private mode, policy); hiding still works for this visit.
    }
  }

  return (
    <aside
      aria-label="Tip for this screen"
      data-testid="first-visit-hint"
      className="mb-4 flex items-start gap-3 rounded-md border border-sky-200 bg-sky-50 px-4 py-2.5 text-sm text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100"
    >
      <p className="flex-1">
        <span className="font-semibold">Tip: </span>
        {HINTS[screen]}
      </p>
      <button
        type="button"
        onClick={hide}
        className="shrink-0 rounded px-2 py-0.5 text-xs font-medium text-sky-800 hover:bg-sky-100 dark:text-sky-200 dark:hover:bg-sky-900"
      >
        Got it
      </button>
    </aside>
  );
}

/** null when storage cannot be read: then the tip shows, as on a first visit. */
function readHidden(screen: HintScreen): boolean | null {
  try {
    return window.localStorage.getItem(hintStorageKey(screen)) === "1";
  } catch {
    return null;
  }
}
