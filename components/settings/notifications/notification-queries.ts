"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { type ApiError, call } from "../settings-queries";

/** Server state of the Notifications tab: channels, rules and the public URL. */

export const CHANNEL_KINDS = ["slack", "webhook", "teams", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const notificationKeys = {
  channels: ["notifications", "channels"] as const,
  rules: ["notifications", "rules"] as const,
  settings: ["notifications", "settings"] as const,
};

const ChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  target: z.string().nullable(),
  secretsSet: z.object({
    url: z.boolean(),
    hmacSecret: z.boolean(),
    password: z.boolean(),
    headers: z.array(z.string()),
  }),
  state: z.enum(["ok", "failing", "disabled"]),
  consecutiveFailures: z.number(),
  lastError: z.string().nullable(),
  lastErrorAt: z.coerce.date().nullable(),
  lastSuccessAt: z.coerce.date().nullable(),
  pendingDeliveries: z.number(),
});
export type ChannelRow = z.infer<typeof ChannelSchema>;

const RuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  minSeverity: z.enum(SEVERITIES),
  detectionRules: z.array(z.string()),
  tags: z.array(z.string()),
  containerPattern: z.string().nullable(),
  namespacePattern: z.string().nullable(),
  sources: z.array(z.string()),
  throttleMinutes: z.number(),
  channelIds: z.array(z.string()),
});
export type RuleRow = z.infer<typeof RuleSchema>;

const PublicUrlSchema = z.object({
  effective: z.string(),
  stored: z.string().nullable(),
  fromEnvironment: z.boolean(),
});

const TestResultSchema = z.object({
  deliveryId: z.string(),
  ok: z.boolean(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
});
export type TestResult = z.infer<typeof TestResultSchema>;

function useInvalidate(...keys: readonly (readonly string[])[]) {
  const client = useQueryClient();
  return () => Promise.all([...keys, ["audit"]].map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useChannels() {
  return useQuery({
    queryKey: notificationKeys.channels,
    queryFn: async () =>
      (await call("/api/notifications/channels", z.object({ channels: z.array(ChannelSchema) }))).channels,
    // The state (failing, pending deliveries) changes in the background.
    refetchInterval: 10_000,
  });
}

export function useCreateChannel() {
  const invalidate = useInvalidate(notificationKeys.channels);
  return useMutation<ChannelRow, ApiError, Record<string, unknown>>({
    mutationFn: async (input) =>
      (
        await call("/api/notifications/channels", z.object({ channel: ChannelSchema }), {
          method: "POST",
          body: input,
        })
      ).channel,
    onSuccess: invalidate,
  });
}

export function useUpdateChannel() {
  const invalidate = useInvalidate(notificationKeys.channels);
  return useMutation<ChannelRow, ApiError, { id: string; patch: Record<string, unknown> }>({
    mutationFn: async ({ id, patch }) =>
      (
        await call(`/api/notifications/channels/${encodeURIComponent(id)}`, z.object({ channel: ChannelSchema }), {
          method: "PATCH",
          body: patch,
        })
      ).channel,
    onSettled: invalidate,
  });
}

export function useDeleteChannel() {
  const invalidate = useInvalidate(notificationKeys.channels, notificationKeys.rules);
  return useMutation<unknown, ApiError, string>({
    mutationFn: (id) =>
      call(`/api/notifications/channels/${encodeURIComponent(id)}`, z.unknown(), { method: "DELETE" }),
    onSettled: invalidate,
  });
}

export function useTestChannel() {
  const invalidate = useInvalidate(notificationKeys.channels);
  return useMutation<TestResult, ApiError, string>({
    mutationFn: (id) =>
      call(`/api/notifications/channels/${encodeURIComponent(id)}/test`, TestResultSchema, { method: "POST" }),
    onSettled: invalidate,
  });
}

export function useNotificationRules() {
  return useQuery({
    queryKey: notificationKeys.rules,
    queryFn: async () => (await call("/api/notifications/rules", z.object({ rules: z.array(RuleSchema) }))).rules,
  });
}

export function useCreateRule() {
  const invalidate = useInvalidate(notificationKeys.rules);
  return useMutation<RuleRow, ApiError, Record<string, unknown>>({
    mutationFn: async (input) =>
      (await call("/api/notifications/rules", z.object({ rule: RuleSchema }), { method: "POST", body: input })).rule,
    onSuccess: invalidate,
  });
}

export function useUpdateRule() {
  const invalidate = useInvalidate(notificationKeys.rules);
  return useMutation<RuleRow, ApiError, { id: string; patch: Record<string, unknown> }>({
    mutationFn: async ({ id, patch }) =>
      (
        await call(`/api/notifications/rules/${encodeURIComponent(id)}`, z.object({ rule: RuleSchema }), {
          method: "PATCH",
          body: patch,
        })
      ).rule,
    onSettled: invalidate,
  });
}

export function useDeleteRule() {
  const invalidate = useInvalidate(notificationKeys.rules);
  return useMutation<unknown, ApiError, string>({
    mutationFn: (id) => call(`/api/notifications/rules/${encodeURIComponent(id)}`, z.unknown(), { method: "DELETE" }),
    onSettled: invalidate,
  });
}

export function usePublicUrl() {
  return useQuery({
    queryKey: notificationKeys.settings,
    queryFn: async () =>
      (await call("/api/notifications/settings", z.object({ publicUrl: PublicUrlSchema }))).publicUrl,
  });
}

export function useSavePublicUrl() {
  const invalidate = useInvalidate(notificationKeys.settings);
  return useMutation<unknown, ApiError, string | null>({
    mutationFn: (publicUrl) => call("/api/notifications/settings", z.unknown(), { method: "PUT", body: { publicUrl } }),
    onSuccess: invalidate,
  });
}
