"use client";

import { useEffect, useId, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import type { ExportFormat } from "@/lib/export/stream";
import { exportHref } from "./export-link";
import type { AlertListFilter } from "./list-state";

const FORMATS: { format: ExportFormat; label: string; hint: string }[] = [
  { format: "csv", label: "CSV", hint: "for spreadsheets" },
  { format: "ndjson", label: "NDJSON", hint: "one JSON alert per line" },
];

/**
 * "Export" → CSV / NDJSON. Each choice is a plain download link: the browser
 * streams the file to disk (the server sends it a page of alerts at a time),
 * with the signed-in session, and the list stays as it is.
 */
export function ExportMenu({ filter, total }: { filter: AlertListFilter; total?: number }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    // A menu takes the focus on its first item; arrow keys move between items (WAI-ARIA menu button).
    container.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent) {
        if (event.key !== "Escape") return;
        button.current?.focus();
      } else if (container.current?.contains(event.target as Node)) {
        return;
      }
      setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const what =
    total === undefined ? "every matching alert" : `${total.toLocaleString()} matching alert${total === 1 ? "" : "s"}`;
  return (
    <div ref={container} className="relative">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
        className={buttonClass("secondary", "text-xs")}
      >
        Export
        <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div
          id={menuId}
          role="menu"
          tabIndex={-1}
          onKeyDown={(event) => {
            if (event.key === "Tab") setOpen(false);
            if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
            event.preventDefault();
            const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]')];
            const current = items.indexOf(document.activeElement as HTMLElement);
            const step = event.key === "ArrowDown" ? 1 : -1;
            items[(current + step + items.length) % items.length]?.focus();
          }}
          aria-label={`Export ${what}`}
          className="absolute right-0 z-20 mt-1 w-60 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="px-2.5 py-1.5 text-xs text-slate-600 dark:text-slate-400">
            Download {what}, not only this page
          </p>
          {FORMATS.map(({ format, label, hint }) => (
            <a
              key={format}
              role="menuitem"
              href={exportHref(filter, format)}
              download
              onClick={(event) => {
                event.currentTarget.href = exportHref(filter, format);
                setOpen(false);
              }}
              className="flex items-baseline justify-between gap-2 rounded px-2.5 py-1.5 text-sm hover:bg-slate-100 focus:bg-slate-100 focus:outline-none dark:hover:bg-slate-800 dark:focus:bg-slate-800"
            >
              <span className="font-medium">{label}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">{hint}</span>
            </a>
          ))}
        </div>
      ) : null}
    </div>
  );
}
