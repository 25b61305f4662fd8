import { createHash, randomBytes } from "node:crypto";

/**
 * Session cookies and API tokens are random secrets that are stored only as
 * sha256 hashes: a copy of the database does not let anyone sign in.
 */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export const API_TOKEN_PREFIX = "kw_";
