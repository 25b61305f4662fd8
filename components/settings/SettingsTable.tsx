import type { ReactNode } from "react";

/**
 * The table a settings section lists its items in (API tokens, users, notification channels and rules): a column
 * per title, then an unlabelled one for each row's actions. The rows are the section's own `<tr>`s.
 */
export function SettingsTable({ columns, children }: { columns: readonly string[]; children: ReactNode }) {
  return (
    <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase text-slate-500 dark:bg-slate-900">
          <tr>
            {columns.map((title) => (
              <th key={title} scope="col" className="px-3 py-2">
                {title}
              </th>
            ))}
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}
