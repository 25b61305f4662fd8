"use client";

import { useRouter } from "next/navigation";
import { useSignOut } from "./queries";

export function SignOutButton() {
  const router = useRouter();
  const signOut = useSignOut();
  return (
    <button
      type="button"
      onClick={() => signOut.mutate(undefined, { onSettled: () => router.replace("/login") })}
      className="text-xs text-slate-400 underline-offset-2 hover:text-white hover:underline"
    >
      Sign out
    </button>
  );
}
