import { type Actor, type Outcome, refuse } from "../auth/admin-outcome";
import {
  deleteChannelRecord,
  findChannelRecord,
  insertChannel,
  listChannelRecords,
  type NotificationChannel,
  pendingDeliveryCounts,
  updateChannelRecord,
} from "../db/notification-settings";
import { auditNotification } from "./audit";
import {
  type ChannelInput,
  ChannelInputSchema,
  type ChannelKind,
  type ChannelPatch,
  splitChannelInput,
} from "./channel-schemas";
import { parseConfig } from "./channel-settings";
import { safeHost } from "./channels/http-post";
import { isFailing } from "./health";
import { decryptSecrets, encryptSecrets } from "./secret-box";

/** A channel as the API and Settings show it: its settings without secrets, and which secrets are set. */
export interface ChannelSummary {
  id: string;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  /** the settings that are not secret (SMTP host, port, sender, recipients …) */
  config: Record<string, unknown>;
  /** the host a webhook URL points at; the URL itself is secret */
  target: string | null;
  /** which secrets are stored: their names, never their values (custom headers: the header names) */
  secretsSet: { url: boolean; hmacSecret: boolean; password: boolean; headers: string[] };
  state: "ok" | "failing" | "disabled";
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
  pendingDeliveries: number;
  createdAt: string;
  updatedAt: string;
}

function summarize(channel: NotificationChannel, pending: number): ChannelSummary {
  let secrets: Record<string, unknown> = {};
  try {
    secrets = decryptSecrets(channel.secrets);
  } catch {
    // A key that no longer opens the secrets: the summary says none are set, the sender reports why.
  }
  const url = typeof secrets.url === "string" ? secrets.url : null;
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind as ChannelKind,
    enabled: channel.enabled,
    config: parseConfig(channel),
    target: url ? safeHost(url) : null,
    secretsSet: {
      url: url !== null,
      hmacSecret: typeof secrets.hmacSecret === "string",
      password: typeof secrets.password === "string",
      headers: Object.keys((secrets.headers as Record<string, string> | undefined) ?? {}),
    },
    state: !channel.enabled ? "disabled" : isFailing(channel) ? "failing" : "ok",
    consecutiveFailures: channel.consecutiveFailures,
    lastError: channel.lastError,
    lastErrorAt: channel.lastErrorAt?.toISOString() ?? null,
    lastSuccessAt: channel.lastSuccessAt?.toISOString() ?? null,
    pendingDeliveries: pending,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

export async function listChannels(): Promise<ChannelSummary[]> {
  const [channels, pending] = await Promise.all([listChannelRecords(), pendingDeliveryCounts()]);
  return channels.map((channel) => summarize(channel, pending.get(channel.id) ?? 0));
}

export async function getChannel(id: string): Promise<ChannelSummary | null> {
  const channel = await findChannelRecord(id);
  return channel ? summarize(channel, (await pendingDeliveryCounts()).get(id) ?? 0) : null;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

function nameTaken(name: string) {
  return refuse(409, "name_taken", `A notification channel named "${name}" already exists.`, [
    { field: "name", message: "is already taken" },
  ]);
}

export async function createChannel(actor: Actor, input: ChannelInput): Promise<Outcome<ChannelSummary>> {
  const { config, secrets } = splitChannelInput(input);
  try {
    const channel = await insertChannel({
      name: input.name,
      kind: input.kind,
      enabled: input.enabled ?? true,
      config: JSON.stringify(config),
      secrets: encryptSecrets(secrets),
    });
    await auditNotification(actor, "notification_channel.create", "notification_channel", channel.id, {
      name: channel.name,
      kind: channel.kind,
    });
    return { ok: true, value: summarize(channel, 0) };
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(input.name);
    throw error;
  }
}

/**
 * Applies a change on top of the stored settings: secrets left out stay as they were, `null` clears an
 * optional one; the result must be a valid channel of the same kind.
 */
export async function updateChannel(actor: Actor, id: string, patch: ChannelPatch): Promise<Outcome<ChannelSummary>> {
  const channel = await findChannelRecord(id);
  if (!channel) return refuse(404, "not_found", `No notification channel with id "${id}".`);
  let stored: Record<string, unknown>;
  try {
    stored = { ...parseConfig(channel), ...decryptSecrets(channel.secrets) };
  } catch {
    // The secrets cannot be read with this key: the change must bring them all again.
    stored = parseConfig(channel);
  }
  const merged: Record<string, unknown> = {
    ...stored,
    name: channel.name,
    enabled: channel.enabled,
    kind: channel.kind,
  };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  const parsed = ChannelInputSchema.safeParse(merged);
  if (!parsed.success) {
    return refuse(
      400,
      "invalid_channel",
      `The change leaves the ${channel.kind} channel incomplete or invalid.`,
      parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", message: issue.message })),
    );
  }
  const { config, secrets } = splitChannelInput(parsed.data);
  try {
    const updated = await updateChannelRecord(id, {
      name: parsed.data.name,
      enabled: parsed.data.enabled ?? true,
      config: JSON.stringify(config),
      secrets: encryptSecrets(secrets),
    });
    await auditNotification(actor, "notification_channel.update", "notification_channel", id, {
      name: updated.name,
      kind: updated.kind,
      changed: Object.keys(patch).filter((field) => patch[field as keyof ChannelPatch] !== undefined),
    });
    return { ok: true, value: summarize(updated, (await pendingDeliveryCounts()).get(id) ?? 0) };
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(parsed.data.name);
    throw error;
  }
}

export async function deleteChannel(actor: Actor, id: string): Promise<Outcome<{ id: string }>> {
  const channel = await findChannelRecord(id);
  if (!channel) return refuse(404, "not_found", `No notification channel with id "${id}".`);
  await deleteChannelRecord(id);
  await auditNotification(actor, "notification_channel.delete", "notification_channel", id, {
    name: channel.name,
    kind: channel.kind,
  });
  return { ok: true, value: { id } };
}
