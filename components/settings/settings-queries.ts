"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";

/**
 * Server state of the settings page. Every mutation also invalidates the
 * audit log, because every admin action appends to it.
 */

export const MIN_PASSWORD_LENGTH = 12; // mirrors lib/auth/passwords.ts, which needs node:crypto and cannot load here
export const USER_ROLES = ["admin", "analyst", "viewer"] as const;
export const TOKEN_ROLES = ["ingest", "viewer", "analyst", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type TokenRole = (typeof TOKEN_ROLES)[number];

export const settingsKeys = {
  users: ["users"] as const,
  tokens: ["tokens"] as const,
  audit: (filter: AuditFilter) => ["audit", filter] as const,
};

/** An error from our API, with field messages keyed by field name for the form that sent it. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fieldErrors: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

/** One API request, its answer checked with `schema`; errors become ApiError with field messages. */
export async function call<S extends z.ZodType>(url: string, schema: S, init?: { method: string; body?: unknown }) {
  const response = await fetch(url, {
    method: init?.method ?? "GET",
    cache: "no-store",
    headers: init?.body === undefined ? undefined : { "Content-Type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(payload);
    if (!parsed.success) {
      throw new ApiError(
        `${init?.method ?? "GET"} ${url} failed: the server answered ${response.status}.`,
        response.status,
        "http_error",
        {},
      );
    }
    const fieldErrors: Record<string, string> = {};
    for (const detail of parsed.data.error.details ?? []) fieldErrors[detail.field] ??= detail.message;
    throw new ApiError(parsed.data.error.message, response.status, parsed.data.error.code, fieldErrors);
  }
  return schema.parse(payload) as z.infer<S>;
}

const date = z.coerce.date();
const nullableDate = date.nullable();

const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(USER_ROLES),
  disabled: z.boolean(),
  lockedUntil: nullableDate,
  createdAt: date,
});
export type UserRow = z.infer<typeof UserSchema>;

const TokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  prefix: z.string(),
  createdAt: date,
  expiresAt: nullableDate,
  lastUsedAt: nullableDate,
  revokedAt: nullableDate,
  createdBy: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
});
export type TokenRow = z.infer<typeof TokenSchema>;

const CreatedTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  prefix: z.string(),
  expiresAt: nullableDate,
  token: z.string(),
});
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

const AuditEntrySchema = z.object({
  id: z.number(),
  at: date,
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  nextBefore: z.number().nullable(),
  actions: z.array(z.string()),
  actors: z.array(z.string()),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export interface AuditFilter {
  actor: string;
  action: string;
}

export function useUsers() {
  return useQuery({
    queryKey: settingsKeys.users,
    queryFn: async () => (await call("/api/users", z.object({ users: z.array(UserSchema) }))).users,
  });
}

function useInvalidate(...keys: readonly (readonly string[])[]) {
  const client = useQueryClient();
  return () => Promise.all([...keys, ["audit"]].map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useCreateUser() {
  const invalidate = useInvalidate(settingsKeys.users);
  return useMutation<UserRow, ApiError, { username: string; displayName: string; role: UserRole; password: string }>({
    mutationFn: async (input) =>
      (await call("/api/users", z.object({ user: UserSchema }), { method: "POST", body: input })).user,
    onSuccess: invalidate,
  });
}

export interface UserPatch {
  role?: UserRole;
  disabled?: boolean;
  displayName?: string;
  password?: string;
}

export function useUpdateUser() {
  const invalidate = useInvalidate(settingsKeys.users);
  return useMutation<{ user: UserRow; sessionsRevoked: number }, ApiError, { id: string; patch: UserPatch }>({
    mutationFn: ({ id, patch }) =>
      call(`/api/users/${encodeURIComponent(id)}`, z.object({ user: UserSchema, sessionsRevoked: z.number() }), {
        method: "PATCH",
        body: patch,
      }),
    onSettled: invalidate,
  });
}

export function useTokens() {
  return useQuery({
    queryKey: settingsKeys.tokens,
    queryFn: async () => (await call("/api/tokens", z.object({ tokens: z.array(TokenSchema) }))).tokens,
  });
}

export function useCreateToken() {
  const invalidate = useInvalidate(settingsKeys.tokens);
  return useMutation<CreatedToken, ApiError, { name: string; role: TokenRole; expiresInDays: number | null }>({
    mutationFn: async (input) =>
      (await call("/api/tokens", z.object({ token: CreatedTokenSchema }), { method: "POST", body: input })).token,
    onSuccess: invalidate,
  });
}

export function useRevokeToken() {
  const invalidate = useInvalidate(settingsKeys.tokens);
  return useMutation<unknown, ApiError, string>({
    mutationFn: (id) => call(`/api/tokens/${encodeURIComponent(id)}`, z.unknown(), { method: "DELETE" }),
    onSettled: invalidate,
  });
}

export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: settingsKeys.audit(filter),
    initialPageParam: null as number | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      if (filter.actor) params.set("actor", filter.actor);
      if (filter.action) params.set("action", filter.action);
      if (pageParam !== null) params.set("before", String(pageParam));
      return call(`/api/audit?${params}`, AuditPageSchema);
    },
    getNextPageParam: (page) => page.nextBefore,
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation<{ sessionsRevoked: number }, ApiError, { currentPassword: string; newPassword: string }>({
    mutationFn: (input) =>
      call("/api/account/password", z.object({ sessionsRevoked: z.number() }), { method: "POST", body: input }),
    onSettled: () => client.invalidateQueries({ queryKey: ["audit"] }),
  });
}

// ---------------------------------------------------------------- field mapping

const FieldMappingSchema = z.object({
  mapping: z.record(z.string(), z.unknown()).nullable(),
  fields: z.number(),
  updatedAt: z.coerce.date().nullable(),
});
export type FieldMappingView = z.infer<typeof FieldMappingSchema>;
const FIELD_MAPPING_URL = "/api/settings/field-mapping";
const fieldMappingKey = ["field-mapping"] as const;

/** The Elasticsearch mapping detection, previews and hunts compare fields by. */
export function useFieldMapping() {
  return useQuery({ queryKey: fieldMappingKey, queryFn: () => call(FIELD_MAPPING_URL, FieldMappingSchema) });
}

/** Stores a mapping (any JSON value: the server says what is wrong with it), or removes it with null. */
export function useSaveFieldMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mapping: unknown) => call(FIELD_MAPPING_URL, FieldMappingSchema, { method: "PUT", body: { mapping } }),
    onSuccess: (view) => {
      client.setQueryData(fieldMappingKey, view);
      void client.invalidateQueries({ queryKey: ["audit"] });
    },
  });
}
