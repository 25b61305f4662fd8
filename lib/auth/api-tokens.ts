import { createApiToken, findApiTokenByHash, touchApiToken } from "../db/api-tokens";
import { bestEffortWrite } from "./bookkeeping";
import type { Principal } from "./principal";
import { type Role, RoleSchema } from "./roles";
import { API_TOKEN_PREFIX, hashSecret, newSecret } from "./secrets";

/** Creates an API token; the returned `token` is shown once and never stored. */
export async function issueApiToken(input: {
  name: string;
  role: Role;
  expiresAt: Date | null;
  createdById: string | null;
}): Promise<{ id: string; token: string; prefix: string }> {
  const token = newSecret(API_TOKEN_PREFIX);
  const prefix = token.slice(0, API_TOKEN_PREFIX.length + 6);
  const record = await createApiToken({ ...input, tokenHash: hashSecret(token), prefix });
  return { id: record.id, token, prefix };
}

/** The script behind a bearer token, or null when it is unknown, expired or revoked. */
export async function principalFromApiToken(token: string): Promise<Principal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const record = await findApiTokenByHash(hashSecret(token));
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt.getTime() <= Date.now())) return null;
  const role = RoleSchema.safeParse(record.role);
  if (!role.success) return null;
  await bestEffortWrite("an API token's last use", () => touchApiToken(record.id, record.lastUsedAt));
  return { kind: "token", id: record.id, name: record.name, role: role.data };
}
