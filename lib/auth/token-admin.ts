import { type ApiTokenListing, findApiTokenById, listApiTokens, revokeApiToken } from "../db/api-tokens";
import { appendAudit } from "../db/audit";
import type { Actor, Outcome } from "./admin-outcome";
import { refuse } from "./admin-outcome";
import { issueApiToken } from "./api-tokens";
import { principalLabel } from "./principal";
import type { Role } from "./roles";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A token as the settings page lists it: never the secret, never its hash. */
export interface TokenSummary {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
  status: "active" | "expired" | "revoked";
}

function summarize(token: ApiTokenListing, now: number): TokenSummary {
  const status = token.revokedAt
    ? "revoked"
    : token.expiresAt && token.expiresAt.getTime() <= now
      ? "expired"
      : "active";
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    createdBy: token.createdBy?.username ?? null,
    status,
  };
}

export async function listTokens(now = Date.now()): Promise<TokenSummary[]> {
  return (await listApiTokens()).map((token) => summarize(token, now));
}

function audit(actor: Actor, action: string, targetId: string, details: Record<string, unknown>) {
  return appendAudit({
    actorId: actor.principal.kind === "user" ? actor.principal.id : null,
    actorLabel: principalLabel(actor.principal),
    action,
    targetType: "api_token",
    targetId,
    details,
    ip: actor.ip,
  });
}

export interface CreatedToken {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  expiresAt: Date | null;
  /** The secret itself: returned this once, stored only as a hash. */
  token: string;
}

export async function createToken(
  actor: Actor,
  input: { name: string; role: Role; expiresInDays?: number | null },
): Promise<CreatedToken> {
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
  const issued = await issueApiToken({
    name: input.name,
    role: input.role,
    expiresAt,
    createdById: actor.principal.kind === "user" ? actor.principal.id : null,
  });
  await audit(actor, "token.create", issued.id, {
    name: input.name,
    role: input.role,
    prefix: issued.prefix,
    expiresAt: expiresAt?.toISOString() ?? null,
  });
  return { id: issued.id, name: input.name, role: input.role, prefix: issued.prefix, expiresAt, token: issued.token };
}

export async function revokeToken(actor: Actor, id: string): Promise<Outcome<{ id: string; revokedAt: Date }>> {
  const token = await findApiTokenById(id);
  if (!token) return refuse(404, "not_found", `No API token with id "${id}".`);
  if (token.revokedAt || !(await revokeApiToken(id))) {
    return refuse(409, "already_revoked", `The API token "${token.name}" is already revoked.`);
  }
  await audit(actor, "token.revoke", id, { name: token.name, role: token.role, prefix: token.prefix });
  const revoked = await findApiTokenById(id);
  return { ok: true, value: { id, revokedAt: revoked?.revokedAt ?? new Date() } };
}
