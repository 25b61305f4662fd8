import { z } from "zod";

/**
 * Who may do what. Roles are coarse on purpose: an analyst triages, a viewer
 * reads, an ingest token only sends events, an admin also manages people.
 */
export const ROLES = ["admin", "analyst", "viewer", "ingest"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Roles a person can hold; `ingest` exists only for API tokens. */
export const USER_ROLES = ["admin", "analyst", "viewer"] as const;
export const UserRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRoleSchema>;

export const PERMISSIONS = [
  "alerts:read",
  "alerts:write",
  "rules:read",
  "rules:write",
  "exceptions:read",
  "exceptions:write",
  "uploads:read",
  "events:ingest",
  "users:manage",
  "tokens:manage",
  "audit:read",
  "notifications:manage",
  "settings:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ["alerts:read", "rules:read", "exceptions:read", "uploads:read"];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  analyst: new Set([...READ, "alerts:write", "rules:write", "exceptions:write", "events:ingest"]),
  viewer: new Set(READ),
  ingest: new Set(["events:ingest"]),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}
