import { errorResponse } from "@/lib/app/http";
import type { Principal } from "@/lib/auth/principal";

/** Saved hunts and history belong to a person: an API token has neither. */
export function personOf(principal: Principal) {
  if (principal.kind === "user") return { ok: true as const, userId: principal.id };
  return {
    ok: false as const,
    response: errorResponse(
      403,
      "forbidden",
      "Saved hunts and hunt history belong to a person: sign in to the web app to use them; API tokens have none.",
    ),
  };
}
