// One look for severity and status everywhere: the alert list, this page and the rules use the same badges.
export { SeverityBadge, StatusBadge } from "@/components/ui/severity";

/** Severity as coloured text, for dense lists (readable on light and dark backgrounds). */
export const SEVERITY_TEXT: Record<string, string> = {
  critical: "text-red-700 dark:text-red-400",
  high: "text-orange-700 dark:text-orange-400",
  medium: "text-amber-700 dark:text-amber-300",
  low: "text-sky-700 dark:text-sky-300",
};
