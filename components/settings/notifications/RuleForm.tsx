"use client";

import { type FormEvent, useState } from "react";
import { buttonClass, FormError, SelectField, TextField } from "../fields";
import { useTokens } from "../settings-queries";
import { type ChannelRow, SEVERITIES, type Severity, useCreateRule } from "./notification-queries";

const SEVERITY_OPTIONS = SEVERITIES.map((severity) => ({ value: severity, label: `${severity} and above` }));

const list = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

export function RuleForm({ channels }: { channels: ChannelRow[] }) {
  const create = useCreateRule();
  const [name, setName] = useState("");
  const [minSeverity, setMinSeverity] = useState<Severity>("high");
  const [detectionRules, setDetectionRules] = useState("");
  const [tags, setTags] = useState("");
  const [containerPattern, setContainerPattern] = useState("");
  const [namespacePattern, setNamespacePattern] = useState("");
  const [throttle, setThrottle] = useState("0");
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [sources, setSources] = useState<string[]>([]);
  const sensors = (useTokens().data ?? []).filter((token) => token.role === "ingest" && token.status === "active");
  const errors: Readonly<Record<string, string>> = create.error?.fieldErrors ?? {};

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      {
        name,
        minSeverity,
        detectionRules: list(detectionRules),
        tags: list(tags),
        containerPattern: containerPattern.trim() || null,
        namespacePattern: namespacePattern.trim() || null,
        throttleMinutes: /^\d+$/.test(throttle.trim()) ? Number(throttle.trim()) : Number.NaN,
        sources,
        channelIds,
      },
      { onSuccess: () => setName("") },
    );
  }

  function toggle(id: string, checked: boolean) {
    setChannelIds((current) => (checked ? [...current, id] : current.filter((other) => other !== id)));
  }

  return (
    <section aria-labelledby="create-rule-heading" className="max-w-xl">
      <h3 id="create-rule-heading" className="text-base font-semibold">
        Add a notification rule
      </h3>
      <form onSubmit={submit} className="mt-3 space-y-3" noValidate>
        <TextField id="rule-name" label="Rule name" value={name} onChange={setName} error={errors.name} required />
        <SelectField
          id="rule-severity"
          label="Severity"
          value={minSeverity}
          options={SEVERITY_OPTIONS}
          onChange={setMinSeverity}
        />
        <TextField
          id="rule-detection-rules"
          label="Detection rules (optional)"
          value={detectionRules}
          onChange={setDetectionRules}
          hint="Rule names or ids, separated by commas; empty: every rule."
        />
        <TextField
          id="rule-tags"
          label="Rule tags (optional)"
          value={tags}
          onChange={setTags}
          hint="Any of these tags, separated by commas; empty: any."
        />
        <TextField
          id="rule-container"
          label="Container pattern (optional)"
          value={containerPattern}
          onChange={setContainerPattern}
          error={errors.containerPattern}
          hint="Matches the container name, id or image; * any characters, ? one."
        />
        <TextField
          id="rule-namespace"
          label="Namespace pattern (optional)"
          value={namespacePattern}
          onChange={setNamespacePattern}
          error={errors.namespacePattern}
          hint="Kubernetes namespace, e.g. prod-*."
        />
        {sensors.length > 0 ? (
          <fieldset>
            <legend className="text-sm font-medium">Sensors (optional)</legend>
            <p className="text-xs text-slate-500">
              Only alerts from events these ingest tokens sent; none checked: any.
            </p>
            {sensors.map((token) => (
              <label key={token.id} className="mt-1 flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={sources.includes(token.id)}
                  onChange={(event) =>
                    setSources((current) =>
                      event.target.checked ? [...current, token.id] : current.filter((id) => id !== token.id),
                    )
                  }
                />
                {token.name}
              </label>
            ))}
          </fieldset>
        ) : null}
        <TextField
          id="rule-throttle"
          label="Throttle (minutes)"
          inputMode="numeric"
          value={throttle}
          onChange={setThrottle}
          error={errors.throttleMinutes}
          hint="At most one message per rule and container in this time; the rest arrive as one digest. 0: off."
        />
        <fieldset>
          <legend className="text-sm font-medium">Send to</legend>
          {channels.length === 0 ? <p className="text-xs text-slate-500">Add a channel first.</p> : null}
          {channels.map((channel) => (
            <label key={channel.id} className="mt-1 flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={channelIds.includes(channel.id)}
                onChange={(event) => toggle(channel.id, event.target.checked)}
              />
              {channel.name} ({channel.kind})
            </label>
          ))}
          {errors.channelIds ? (
            <p role="alert" className="mt-1 text-xs text-red-700">
              {errors.channelIds}
            </p>
          ) : null}
        </fieldset>
        <FormError
          error={create.error}
          shownFields={["name", "containerPattern", "namespacePattern", "throttleMinutes", "channelIds"]}
        />
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add rule"}
        </button>
      </form>
    </section>
  );
}
