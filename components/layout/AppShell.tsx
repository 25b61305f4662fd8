"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/SignOutButton";
import { isActive, NAVIGATION } from "./navigation";

export function AppShell({ children, user }: { children: ReactNode; user: { displayName: string; role: string } }) {
  const pathname = usePathname();
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
      >
        Skip to content
      </a>
      <aside className="flex w-56 shrink-0 flex-col border-r border-slate-800 bg-slate-900 text-slate-200">
        <Link href="/" className="flex items-center gap-2 px-5 py-4 text-lg font-semibold tracking-tight text-white">
          <span
            aria-hidden="true"
            className="inline-block h-6 w-6 rounded bg-gradient-to-br from-sky-400 to-indigo-500"
          />
          Keelwatch
        </Link>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 px-2 py-2">
          {NAVIGATION.map((item) => {
            const active = isActive(item.href, pathname);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-2 text-sm font-medium ${
                  active ? "bg-slate-700 text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white"
                }`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="border-t border-slate-800 px-5 py-4 text-sm">
          <p className="font-medium text-white" data-testid="signed-in-user">
            {user.displayName}
          </p>
          <p className="text-xs text-slate-400">{user.role}</p>
          <div className="mt-2">
            <SignOutButton />
          </div>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-8 py-6">
        {children}
      </main>
    </div>
  );
}
