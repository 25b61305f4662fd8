import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "./passwords";
import { RoleSchema, UserRoleSchema } from "./roles";

/**
 * Request bodies of the account-administration API. Kept apart from the
 * routes so the settings forms can describe the same limits.
 */

// Passwords are capped so nobody can make the server scrypt a megabyte.
const MAX_PASSWORD_LENGTH = 1000;

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);

const displayName = z.string().trim().min(1, "Enter a display name").max(100, "Use at most 100 characters");

export const CreateUserSchema = z.strictObject({
  username: z
    .string()
    .trim()
    .min(1, "Enter a username")
    .max(64, "Use at most 64 characters")
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"),
  displayName,
  role: UserRoleSchema,
  password,
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .strictObject({
    role: UserRoleSchema.optional(),
    disabled: z.boolean().optional(),
    displayName: displayName.optional(),
    password: password.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "Send at least one of role, disabled, displayName, password",
  });
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export const MAX_TOKEN_DAYS = 3650;

export const CreateTokenSchema = z.strictObject({
  name: z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters"),
  role: RoleSchema,
  expiresInDays: z
    .number()
    .int("Use a whole number of days")
    .min(1, "Use at least 1 day")
    .max(MAX_TOKEN_DAYS, `Use at most ${MAX_TOKEN_DAYS} days`)
    .nullable()
    .optional(),
});
export type CreateTokenInput = z.infer<typeof CreateTokenSchema>;

export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, "Enter your current password").max(MAX_PASSWORD_LENGTH),
  newPassword: password,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const AUDIT_PAGE_SIZE = 50;

/** Query string of GET /api/audit. */
export const AuditQuerySchema = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(AUDIT_PAGE_SIZE),
});
