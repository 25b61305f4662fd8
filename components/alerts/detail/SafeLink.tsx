import type { ReactNode } from "react";

/** Only web links leave Keelwatch; anything else (javascript:, data:) is shown as plain text. */
export function isSafeExternalUrl(href: string | null | undefined): href is string {
  if (!href) return false;
  try {
    const url = new URL(href);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * A link from untrusted text (rule references, guides): opened in a new tab
 * without giving that page a handle on ours or our URL.
 */
export function SafeLink({
  href,
  children,
  className,
  fallbackClassName,
}: {
  href: string | null | undefined;
  children: ReactNode;
  className?: string;
  fallbackClassName?: string;
}) {
  if (!isSafeExternalUrl(href)) return <span className={fallbackClassName}>{children}</span>;
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow"
      referrerPolicy="no-referrer"
      className={className}
    >
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
