"use client";

import { type FormEvent, useState } from "react";
import {
  buttonClass,
  dangerButtonClass,
  FormError,
  formatDate,
  ROLE_LABELS,
  SelectField,
  secondaryButtonClass,
  TextField,
} from "./fields";
import { SettingsTable } from "./SettingsTable";
import {
  type CreatedToken,
  TOKEN_ROLES,
  type TokenRole,
  type TokenRow,
  useCreateToken,
  useRevokeToken,
  useTokens,
} from "./settings-queries";

const ROLE_OPTIONS = TOKEN_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] ?? role }));

export function TokensSection() {
  const tokens = useTokens();
  return (
    <div className="space-y-8">
      <CreateTokenForm />
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Scripts send a token as <code>Authorization: Bearer kw_…</code>. Only a hash is stored; a revoked or expired
          token stops working at once.
        </p>
        {tokens.isPending ? (
          <p className="mt-4 text-sm text-slate-500">Loading tokens…</p>
        ) : tokens.isError ? (
          <p role="alert" className="mt-4 text-sm text-red-700">
            Could not load tokens: {tokens.error.message}
          </p>
        ) : tokens.data.length === 0 ? (
          <p className="mt-4 text-sm text-slate-500">No API tokens yet.</p>
        ) : (
          <TokensTable tokens={tokens.data} />
        )}
      </section>
    </div>
  );
}

function CreateTokenForm() {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [role, setRole] = useState<TokenRole>("ingest");
  const [days, setDays] = useState("");
  const [daysError, setDaysError] = useState<string | null>(null);
  const errors: Readonly<Record<string, string>> = create.error?.fieldErrors ?? {};

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = days.trim();
    // A typo must not silently become "never expires".
    if (trimmed !== "" && !/^\d+$/.test(trimmed)) {
      setDaysError("Enter a whole number of days, or leave it empty");
      return;
    }
    setDaysError(null);
    create.mutate(
      { name, role, expiresInDays: trimmed === "" ? null : Number(trimmed) },
      {
        onSuccess: () => {
          setName("");
          setDays("");
        },
      },
    );
  }

  return (
    <section aria-labelledby="create-token-heading" className="max-w-xl">
      <h3 id="create-token-heading" className="text-base font-semibold">
        Create an API token
      </h3>
      {create.data ? <NewTokenBox created={create.data} onDone={() => create.reset()} /> : null}
      <form onSubmit={submit} className="mt-3 space-y-3" noValidate>
        <TextField
          id="token-name"
          label="Token name"
          value={name}
          onChange={setName}
          error={errors.name}
          hint="What uses it, e.g. ci-ingest or node-42."
          autoComplete="off"
          required
        />
        <SelectField id="token-role" label="Token role" value={role} options={ROLE_OPTIONS} onChange={setRole} />
        <TextField
          id="token-expiry"
          label="Expires after (days)"
          inputMode="numeric"
          value={days}
          onChange={setDays}
          error={daysError ?? errors.expiresInDays}
          hint="Leave empty for a token that does not expire."
        />
        <FormError error={create.error} shownFields={["name", "role", "expiresInDays"]} />
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
    </section>
  );
}

/** The one time the secret is visible; it lives only in this component's memory until dismissed. */
function NewTokenBox({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <div
      role="status"
      data-testid="new-token"
      className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-semibold">Token “{created.name}” created. Copy it now: you will not see it again.</p>
      <div className="mt-2 flex gap-2">
        <label htmlFor="new-token-value" className="sr-only">
          New API token
        </label>
        <input
          id="new-token-value"
          readOnly
          value={created.token}
          onFocus={(event) => event.target.select()}
          className="block w-full rounded-md border border-amber-300 bg-white px-3 py-2 font-mono text-xs text-slate-900"
        />
        <button type="button" className={secondaryButtonClass} onClick={copy}>
          Copy
        </button>
      </div>
      <p className="mt-1 text-xs" aria-live="polite">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Copy failed; select the text." : ""}
      </p>
      <button type="button" className={`${secondaryButtonClass} mt-2`} onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}

function TokensTable({ tokens }: { tokens: TokenRow[] }) {
  return (
    <SettingsTable columns={["Name", "Role", "Starts with", "Created", "Expires", "Last used", "Status"]}>
      {tokens.map((token) => (
        <TokenRowView key={token.id} token={token} />
      ))}
    </SettingsTable>
  );
}

const STATUS_LABEL: Record<TokenRow["status"], string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

function TokenRowView({ token }: { token: TokenRow }) {
  const revoke = useRevokeToken();
  const [confirming, setConfirming] = useState(false);
  return (
    <tr data-testid={`token-row-${token.name}`} className={token.status === "active" ? undefined : "text-slate-400"}>
      <td className="px-3 py-2 font-medium">{token.name}</td>
      <td className="px-3 py-2">{token.role}</td>
      <td className="px-3 py-2 font-mono text-xs">{token.prefix}…</td>
      <td className="px-3 py-2 whitespace-nowrap">
        {formatDate(token.createdAt)}
        {token.createdBy ? <span className="block text-xs text-slate-500">by {token.createdBy}</span> : null}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">{formatDate(token.expiresAt, "Never")}</td>
      <td className="px-3 py-2 whitespace-nowrap">{formatDate(token.lastUsedAt, "Never used")}</td>
      <td className="px-3 py-2">
        {STATUS_LABEL[token.status]}
        {token.revokedAt ? <span className="block text-xs">{formatDate(token.revokedAt)}</span> : null}
      </td>
      <td className="px-3 py-2 text-right">
        {token.status === "revoked" ? null : confirming ? (
          <div className="flex items-center justify-end gap-2">
            <span className="text-xs">Scripts using it will be refused.</span>
            <button
              type="button"
              className={dangerButtonClass}
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(token.id, { onSettled: () => setConfirming(false) })}
            >
              Confirm revoke
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
            Revoke {token.name}
          </button>
        )}
        {revoke.isError ? (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {revoke.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
