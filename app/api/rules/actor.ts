import type { Principal } from "@/lib/auth/principal";
import { principalLabel } from "@/lib/auth/principal";
import type { RuleActor } from "@/lib/db/rule-admin";

/** The signed-in person or token behind a rule change, as lib/db/rule-admin records it. */
export function ruleActor(auth: { principal: Principal; ip: string | null }): RuleActor {
  return {
    id: auth.principal.kind === "user" ? auth.principal.id : null,
    label: principalLabel(auth.principal),
    ip: auth.ip,
  };
}
