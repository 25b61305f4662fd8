import Link from "next/link";

export interface TopItem {
  key: string;
  label: string;
  count: number;
  href: string;
}

/** A ranked list with proportional bars; each row opens the matching alerts. */
export function TopList({ title, items, empty }: { title: string; items: TopItem[]; empty: string }) {
  const largest = Math.max(1, ...items.map((item) => item.count));
  return (
    <section
      aria-label={title}
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="text-sm font-semibold">{title}</h2>
      {items.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{empty}</p>
      ) : (
        <ol className="mt-3 space-y-2">
          {items.map((item) => (
            <li key={item.key}>
              <Link
                href={item.href}
                className="group block rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500"
              >
                <div className="flex items-baseline justify-between gap-3 text-sm">
                  <span className="truncate text-sky-700 group-hover:underline dark:text-sky-400" title={item.label}>
                    {item.label}
                  </span>
                  <span className="tabular-nums">{item.count.toLocaleString("en-US")}</span>
                </div>
                <div className="mt-1 h-1.5 rounded bg-slate-100 dark:bg-slate-800">
                  <div className="h-full rounded bg-sky-600" style={{ width: `${(item.count / largest) * 100}%` }} />
                </div>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
