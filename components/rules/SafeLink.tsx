import type { ReactNode } from "react";

/** Only web links leave Keelwatch; anything else (javascript:, data:, relative) is shown as plain text. */
export function isWebUrl(href: string | null | undefined): href is string {
  if (!href) return false;
  try {
    const url = new URL(href);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** A link taken from a rule (references, guides), which may have been imported from anywhere. */
export function SafeLink({ href, children }: { href: string | null | undefined; children: ReactNode }) {
  if (!isWebUrl(href)) return <span className="break-all">{children}</span>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow"
      referrerPolicy="no-referrer"
      className="break-all text-sky-700 underline hover:text-sky-900 dark:text-sky-400"
    >
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
