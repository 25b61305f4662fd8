"use client";

import { useSearchParams } from "next/navigation";
import { type KeyboardEvent, useRef, useState } from "react";
import { AccountSection } from "./AccountSection";
import { AuditSection } from "./AuditSection";
import { FieldMappingSection } from "./FieldMappingSection";
import { NotificationsSection } from "./notifications/NotificationsSection";
import { TokensSection } from "./TokensSection";
import { UsersSection } from "./UsersSection";

type TabId = "users" | "tokens" | "notifications" | "mapping" | "audit" | "account";

const ADMIN_TABS: { id: TabId; label: string }[] = [
  { id: "users", label: "Users" },
  { id: "tokens", label: "API tokens" },
  { id: "notifications", label: "Notifications" },
  { id: "mapping", label: "Field mapping" },
  { id: "audit", label: "Audit log" },
  { id: "account", label: "My account" },
];

export function SettingsTabs({
  isAdmin,
  user,
}: {
  isAdmin: boolean;
  user: { id: string; username: string; displayName: string; role: string };
}) {
  const tabs = isAdmin ? ADMIN_TABS : ADMIN_TABS.filter((tab) => tab.id === "account");
  // ?tab=notifications opens a tab directly (the dashboard's failing-channel notice links there).
  const tabParam = useSearchParams().get("tab");
  const requested = tabs.find((tab) => tab.id === tabParam)?.id;
  const [active, setActive] = useState<TabId>(requested ?? tabs[0]?.id ?? "account");
  const buttons = useRef<Map<TabId, HTMLButtonElement>>(new Map());

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
  function onKeyDown(event: KeyboardEvent) {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const index = tabs.findIndex((tab) => tab.id === active);
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (!next) return;
    setActive(next.id);
    buttons.current.get(next.id)?.focus();
  }

  return (
    <div>
      <div
        role="tablist"
        aria-label="Settings sections"
        onKeyDown={onKeyDown}
        className="mb-6 flex gap-1 border-b border-slate-200 dark:border-slate-800"
      >
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) buttons.current.set(tab.id, element);
              else buttons.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={active === tab.id}
            aria-controls={`panel-${tab.id}`}
            tabIndex={active === tab.id ? 0 : -1}
            onClick={() => setActive(tab.id)}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${
              active === tab.id
                ? "border-sky-600 text-sky-700 dark:text-sky-400"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white"
            }`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`}>
        {active === "users" ? <UsersSection currentUserId={user.id} /> : null}
        {active === "tokens" ? <TokensSection /> : null}
        {active === "mapping" ? <FieldMappingSection /> : null}
        {active === "notifications" ? <NotificationsSection /> : null}
        {active === "audit" ? <AuditSection /> : null}
        {active === "account" ? <AccountSection user={user} /> : null}
      </div>
    </div>
  );
}
