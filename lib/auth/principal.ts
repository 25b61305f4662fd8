import type { Role } from "./roles";

/** Who is making a request: a signed-in person or a script holding an API token. */
export type Principal =
  | { kind: "user"; id: string; username: string; displayName: string; role: Role }
  | { kind: "token"; id: string; name: string; role: Role };

/** How a principal appears in the audit log and in "changed by" columns. */
export function principalLabel(principal: Principal): string {
  return principal.kind === "user" ? principal.username : `token:${principal.name}`;
}
