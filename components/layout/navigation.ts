/** The app's sections, in the order the sidebar shows them. */
export const NAVIGATION = [
  { href: "/", label: "Dashboard" },
  { href: "/alerts", label: "Alerts" },
  { href: "/hunt", label: "Hunt" },
  { href: "/rules", label: "Rules" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/uploads", label: "Uploads" },
  { href: "/sources", label: "Sources" },
  { href: "/settings", label: "Settings" },
  { href: "/api-docs", label: "API reference" },
] as const;

export function isActive(href: string, pathname: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
