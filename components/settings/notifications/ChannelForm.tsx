"use client";

import { type FormEvent, useState } from "react";
import { buttonClass, FormError, SelectField, TextField } from "../fields";
import { CHANNEL_KINDS, type ChannelKind, useCreateChannel } from "./notification-queries";

const KIND_LABELS: Record<ChannelKind, string> = {
  slack: "Slack-compatible webhook (Slack, Mattermost, Rocket.Chat)",
  webhook: "Generic webhook (JSON, optional HMAC signature)",
  teams: "Microsoft Teams workflow webhook",
  email: "E-mail (SMTP)",
};
const KIND_OPTIONS = CHANNEL_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }));
const SECURITY_OPTIONS = [
  { value: "starttls", label: "STARTTLS (usually port 587)" },
  { value: "tls", label: "TLS (usually port 465)" },
  { value: "none", label: "None (a local relay only)" },
] as const;
type Security = (typeof SECURITY_OPTIONS)[number]["value"];

/** "Name: value" lines into a header map; a line without a colon is reported rather than dropped. */
function parseHeaders(text: string): { headers: Record<string, string>; error: string | null } {
  const headers: Record<string, string> = {};
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return { headers, error: `Line ${index + 1}: write a header as "Name: value"` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, error: null };
}

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);

export function ChannelForm() {
  const create = useCreateChannel();
  const [kind, setKind] = useState<ChannelKind>("slack");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [hmacSecret, setHmacSecret] = useState("");
  const [headerText, setHeaderText] = useState("");
  const [headerError, setHeaderError] = useState<string | null>(null);
  const [host, setHost] = useState("");
  const [port, setPort] = useState("587");
  const [security, setSecurity] = useState<Security>("starttls");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const errors: Readonly<Record<string, string>> = create.error?.fieldErrors ?? {};

  function body(): Record<string, unknown> | null {
    if (kind === "email") {
      return {
        kind,
        name,
        host,
        port: Number(port),
        security,
        username: username || null,
        password: password || null,
        from,
        to: list(to),
      };
    }
    if (kind !== "webhook") return { kind, name, url };
    const parsed = parseHeaders(headerText);
    setHeaderError(parsed.error);
    if (parsed.error) return null;
    return { kind, name, url, hmacSecret: hmacSecret || null, headers: parsed.headers };
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = body();
    if (!input) return;
    create.mutate(input, {
      onSuccess: () => {
        setName("");
        setUrl("");
        setHmacSecret("");
        setHeaderText("");
        setPassword("");
      },
    });
  }

  return (
    <section aria-labelledby="create-channel-heading" className="max-w-xl">
      <h3 id="create-channel-heading" className="text-base font-semibold">
        Add a channel
      </h3>
      <form onSubmit={submit} className="mt-3 space-y-3" noValidate>
        <SelectField id="channel-kind" label="Channel type" value={kind} options={KIND_OPTIONS} onChange={setKind} />
        <TextField
          id="channel-name"
          label="Channel name"
          value={name}
          onChange={setName}
          error={errors.name}
          hint="Also what `keelwatch notify test NAME` takes."
          autoComplete="off"
          required
        />
        {kind === "email" ? (
          <>
            <TextField
              id="channel-host"
              label="SMTP server"
              value={host}
              onChange={setHost}
              error={errors.host}
              required
            />
            <TextField
              id="channel-port"
              label="Port"
              inputMode="numeric"
              value={port}
              onChange={setPort}
              error={errors.port}
            />
            <SelectField
              id="channel-security"
              label="Encryption"
              value={security}
              options={SECURITY_OPTIONS}
              onChange={setSecurity}
            />
            <TextField
              id="channel-username"
              label="User name"
              value={username}
              onChange={setUsername}
              hint="Leave empty for a server without sign-in."
              autoComplete="off"
            />
            <TextField
              id="channel-password"
              label="Password"
              type="password"
              value={password}
              onChange={setPassword}
              error={errors.password}
              hint="Stored encrypted; never shown again."
              autoComplete="new-password"
            />
            <TextField id="channel-from" label="From" value={from} onChange={setFrom} error={errors.from} required />
            <TextField
              id="channel-to"
              label="To"
              value={to}
              onChange={setTo}
              error={errors.to ?? Object.entries(errors).find(([field]) => field.startsWith("to."))?.[1]}
              hint="One or more addresses, separated by commas."
              required
            />
          </>
        ) : (
          <TextField
            id="channel-url"
            label="Webhook URL"
            type="password"
            value={url}
            onChange={setUrl}
            error={errors.url}
            hint="Stored encrypted (it holds the receiver's token); only its host is shown afterwards."
            autoComplete="off"
            required
          />
        )}
        {kind === "webhook" ? (
          <>
            <TextField
              id="channel-hmac"
              label="Signing secret (optional)"
              type="password"
              value={hmacSecret}
              onChange={setHmacSecret}
              error={errors.hmacSecret}
              hint="At least 16 characters; each body is signed in X-Keelwatch-Signature (HMAC-SHA256)."
              autoComplete="off"
            />
            <div>
              <label htmlFor="channel-headers" className="block text-sm font-medium">
                Extra headers (optional)
              </label>
              <textarea
                id="channel-headers"
                value={headerText}
                onChange={(event) => setHeaderText(event.target.value)}
                rows={2}
                placeholder="Authorization: Bearer …"
                aria-describedby="channel-headers-hint"
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs dark:border-slate-700 dark:bg-slate-900"
              />
              <p id="channel-headers-hint" className="mt-1 text-xs text-slate-500">
                One "Name: value" per line; values are stored encrypted.
              </p>
              {(headerError ?? Object.entries(errors).find(([field]) => field.startsWith("headers"))?.[1]) ? (
                <p role="alert" className="mt-1 text-xs text-red-700">
                  {headerError ?? Object.entries(errors).find(([field]) => field.startsWith("headers"))?.[1]}
                </p>
              ) : null}
            </div>
          </>
        ) : null}
        <FormError
          error={create.error}
          shownFields={["name", "url", "hmacSecret", "host", "port", "password", "from", "to"]}
        />
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add channel"}
        </button>
      </form>
    </section>
  );
}
