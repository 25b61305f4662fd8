"use client";

import { ChannelForm } from "./ChannelForm";
import { ChannelsTable } from "./ChannelsTable";
import { useChannels, useNotificationRules } from "./notification-queries";
import { PublicUrlForm } from "./PublicUrlForm";
import { RuleForm } from "./RuleForm";
import { RulesTable } from "./RulesTable";

/** Settings → Notifications: where alerts are sent (channels), which ones (rules), and the link address. */
export function NotificationsSection() {
  const channels = useChannels();
  const rules = useNotificationRules();
  return (
    <div className="space-y-8">
      <section aria-labelledby="channels-heading">
        <h2 id="channels-heading" className="text-lg font-semibold">
          Notification channels
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          New alerts that a rule below selects are sent to these channels, retried with backoff until they arrive. URLs,
          secrets and passwords are stored encrypted and never shown again.
        </p>
        {channels.isPending ? (
          <p className="mt-4 text-sm text-slate-500">Loading channels…</p>
        ) : channels.isError ? (
          <p role="alert" className="mt-4 text-sm text-red-700">
            Could not load channels: {channels.error.message}
          </p>
        ) : channels.data.length === 0 ? (
          <p className="mt-4 text-sm text-slate-500">No channels yet.</p>
        ) : (
          <ChannelsTable channels={channels.data} />
        )}
      </section>
      <ChannelForm />
      <section aria-labelledby="notification-rules-heading">
        <h2 id="notification-rules-heading" className="text-lg font-semibold">
          Notification rules
        </h2>
        {rules.isPending ? (
          <p className="mt-4 text-sm text-slate-500">Loading rules…</p>
        ) : rules.isError ? (
          <p role="alert" className="mt-4 text-sm text-red-700">
            Could not load rules: {rules.error.message}
          </p>
        ) : rules.data.length === 0 ? (
          <p className="mt-4 text-sm text-slate-500">No notification rules yet: no alert is sent anywhere.</p>
        ) : (
          <RulesTable rules={rules.data} channels={channels.data ?? []} />
        )}
      </section>
      <RuleForm channels={channels.data ?? []} />
      <PublicUrlForm />
    </div>
  );
}
