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
  type ApiError,
  MIN_PASSWORD_LENGTH,
  USER_ROLES,
  type UserRole,
  type UserRow,
  useCreateUser,
  useUpdateUser,
  useUsers,
} from "./settings-queries";

const ROLE_OPTIONS = USER_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] ?? role }));

export function UsersSection({ currentUserId }: { currentUserId: string }) {
  const users = useUsers();
  return (
    <div className="space-y-8">
      <section aria-labelledby="users-heading">
        <h2 id="users-heading" className="text-lg font-semibold">
          Users
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Disabling a user or lowering their role signs them out everywhere. There must always be one active admin.
        </p>
        {users.isPending ? (
          <p className="mt-4 text-sm text-slate-500">Loading users…</p>
        ) : users.isError ? (
          <p role="alert" className="mt-4 text-sm text-red-700">
            Could not load users: {users.error.message}
          </p>
        ) : (
          <UsersTable users={users.data} currentUserId={currentUserId} />
        )}
      </section>
      <CreateUserForm />
    </div>
  );
}

function UsersTable({ users, currentUserId }: { users: UserRow[]; currentUserId: string }) {
  return (
    <SettingsTable columns={["Username", "Display name", "Role", "Status", "Created"]}>
      {users.map((user) => (
        <UserRowView key={user.id} user={user} isSelf={user.id === currentUserId} />
      ))}
    </SettingsTable>
  );
}

function UserRowView({ user, isSelf }: { user: UserRow; isSelf: boolean }) {
  const update = useUpdateUser();
  const [confirming, setConfirming] = useState(false);
  const locked = user.lockedUntil && user.lockedUntil.getTime() > Date.now();
  const status = user.disabled ? "Disabled" : locked ? `Locked until ${formatDate(user.lockedUntil)}` : "Active";

  function setRole(role: UserRole) {
    if (role !== user.role) update.mutate({ id: user.id, patch: { role } });
  }
  function setDisabled(disabled: boolean) {
    setConfirming(false);
    update.mutate({ id: user.id, patch: { disabled } });
  }

  return (
    <tr data-testid={`user-row-${user.username}`} className={user.disabled ? "text-slate-400" : undefined}>
      <td className="px-3 py-2 font-medium">
        {user.username}
        {isSelf ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
      </td>
      <td className="px-3 py-2">{user.displayName}</td>
      <td className="px-3 py-2">
        <label htmlFor={`role-${user.id}`} className="sr-only">
          Role of {user.username}
        </label>
        <select
          id={`role-${user.id}`}
          value={user.role}
          disabled={update.isPending}
          onChange={(event) => setRole(event.target.value as UserRole)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          {ROLE_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2">{status}</td>
      <td className="px-3 py-2 whitespace-nowrap">{formatDate(user.createdAt)}</td>
      <td className="px-3 py-2 text-right">
        <div className="flex items-center justify-end gap-2">
          {isSelf ? null : user.disabled ? (
            <button
              type="button"
              className={secondaryButtonClass}
              disabled={update.isPending}
              onClick={() => setDisabled(false)}
            >
              Enable {user.username}
            </button>
          ) : confirming ? (
            <>
              <span className="text-xs">Sign {user.username} out and block sign-in?</span>
              <button
                type="button"
                className={dangerButtonClass}
                disabled={update.isPending}
                onClick={() => setDisabled(true)}
              >
                Confirm disable
              </button>
              <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(true)}>
              Disable {user.username}
            </button>
          )}
          <ResetPassword user={user} />
        </div>
        {update.isError ? (
          <p role="alert" className="mt-1 text-left text-xs text-red-700 dark:text-red-400">
            {update.error.message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

/** An admin sets a new password for someone who lost theirs; that person's sessions end. */
function ResetPassword({ user }: { user: UserRow }) {
  const update = useUpdateUser();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const id = `reset-${user.id}`;

  if (!open) {
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setOpen(true)}>
        Reset password
      </button>
    );
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate(
      { id: user.id, patch: { password } },
      {
        onSuccess: () => {
          setPassword("");
          setOpen(false);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} className="flex items-start gap-2 text-left" noValidate>
      <div className="w-56">
        <TextField
          id={id}
          label={`New password for ${user.username}`}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={update.error?.fieldErrors.password ?? (update.isError ? update.error.message : undefined)}
        />
      </div>
      <button type="submit" className={`${buttonClass} mt-6`} disabled={update.isPending || password === ""}>
        Set
      </button>
      <button type="button" className={`${secondaryButtonClass} mt-6`} onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

const EMPTY = { username: "", displayName: "", role: "analyst" as UserRole, password: "" };

function CreateUserForm() {
  const create = useCreateUser();
  const [form, setForm] = useState(EMPTY);
  const [created, setCreated] = useState<string | null>(null);
  const errors: Readonly<Record<string, string>> = (create.error as ApiError | null)?.fieldErrors ?? {};

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate(form, {
      onSuccess: (user) => {
        setCreated(user.username);
        setForm(EMPTY);
      },
    });
  }
  const set = (field: keyof typeof EMPTY) => (value: string) => setForm((current) => ({ ...current, [field]: value }));

  return (
    <section aria-labelledby="create-user-heading" className="max-w-xl">
      <h3 id="create-user-heading" className="text-base font-semibold">
        Create a user
      </h3>
      <form onSubmit={submit} className="mt-3 space-y-3" noValidate>
        <TextField
          id="new-username"
          label="Username"
          value={form.username}
          onChange={set("username")}
          error={errors.username}
          hint="Lowercase letters, digits, '.', '_' or '-'. Used to sign in."
          autoComplete="off"
          required
        />
        <TextField
          id="new-display-name"
          label="Display name"
          value={form.displayName}
          onChange={set("displayName")}
          error={errors.displayName}
          autoComplete="off"
          required
        />
        <SelectField
          id="new-role"
          label="Role"
          value={form.role}
          options={ROLE_OPTIONS}
          onChange={set("role")}
          error={errors.role}
        />
        <TextField
          id="new-password"
          label="Initial password"
          type="password"
          value={form.password}
          onChange={set("password")}
          error={errors.password}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the person over a trusted channel.`}
          autoComplete="new-password"
          required
        />
        <FormError error={create.error} shownFields={["username", "displayName", "role", "password"]} />
        {created ? (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            Created user {created}.
          </p>
        ) : null}
        <button type="submit" className={buttonClass} disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create user"}
        </button>
      </form>
    </section>
  );
}
