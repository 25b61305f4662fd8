import { LoginForm } from "./LoginForm";

export function LoginPage({ next }: { next?: string }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-center gap-2">
          <span
            aria-hidden="true"
            className="inline-block h-7 w-7 rounded bg-gradient-to-br from-sky-400 to-indigo-500"
          />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Keelwatch</h1>
        </div>
        <LoginForm next={next} />
        <p className="mt-6 text-xs text-slate-500">
          First run? The admin password was printed once in the server log when the database was created, unless
          KEELWATCH_ADMIN_PASSWORD set it.
        </p>
      </div>
    </main>
  );
}
