"use client";

import { type FormEvent, useState } from "react";
import { buttonClass, FormError, TextField } from "./fields";
import { MIN_PASSWORD_LENGTH, useChangePassword } from "./settings-queries";

export function AccountSection({ user }: { user: { username: string; displayName: string; role: string } }) {
  return (
    <section aria-labelledby="account-heading" className="max-w-xl space-y-4">
      <div>
        <h2 id="account-heading" className="text-lg font-semibold">
          My account
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Signed in as <span className="font-medium">{user.username}</span> ({user.displayName}), role {user.role}.
        </p>
      </div>
      <ChangePasswordForm />
    </section>
  );
}

function ChangePasswordForm() {
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const errors: Readonly<Record<string, string>> = change.error?.fieldErrors ?? {};

  function submit(event: FormEvent) {
    event.preventDefault();
    // Checked here because the server never sees the repeated password.
    if (newPassword !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword("");
          setNewPassword("");
          setRepeat("");
        },
      },
    );
  }

  const signedOut = change.data?.sessionsRevoked ?? 0;
  return (
    <form onSubmit={submit} className="space-y-3" noValidate aria-labelledby="password-heading">
      <h3 id="password-heading" className="text-base font-semibold">
        Change password
      </h3>
      <TextField
        id="current-password"
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={setCurrentPassword}
        error={errors.currentPassword}
        required
      />
      <TextField
        id="new-account-password"
        label="New password"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={setNewPassword}
        error={errors.newPassword}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Your other sessions will be signed out.`}
        required
      />
      <TextField
        id="repeat-password"
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
        error={mismatch ? "Does not match the new password" : undefined}
        required
      />
      <FormError error={change.error} shownFields={["currentPassword", "newPassword"]} />
      {change.isSuccess ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Password changed.{" "}
          {signedOut === 0
            ? "You had no other sessions."
            : `${signedOut} other session${signedOut === 1 ? " was" : "s were"} signed out.`}
        </p>
      ) : null}
      <button
        type="submit"
        className={buttonClass}
        disabled={change.isPending || currentPassword === "" || newPassword === ""}
      >
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
