import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { Principal } from "./principal";
import { principalFromSession, SESSION_COOKIE } from "./sessions";

/** For server components: the signed-in person, or a redirect to the sign-in page. */
export async function requireSignedIn(returnTo = "/"): Promise<Extract<Principal, { kind: "user" }>> {
  const store = await cookies();
  const principal = await principalFromSession(store.get(SESSION_COOKIE)?.value);
  if (principal?.kind !== "user") {
    redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  }
  return principal;
}

export async function currentPrincipal(): Promise<Principal | null> {
  const store = await cookies();
  return principalFromSession(store.get(SESSION_COOKIE)?.value);
}
