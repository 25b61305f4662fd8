import { z } from "zod";

/**
 * What an admin sends to create a channel, one shape per kind. Each kind's
 * fields are split into settings stored as plain JSON (`config`) and secrets
 * stored encrypted (`secrets`): a webhook URL carries its token in the path,
 * so every URL counts as a secret.
 */

export const CHANNEL_KINDS = ["webhook", "slack", "teams", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const Name = z.string().trim().min(1).max(100).describe("unique name, used by `keelwatch notify test NAME`");
const HttpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2000)
  .describe("the receiver's URL (kept secret: it often holds a token)");
// Header names as RFC 9110 tokens; the ones Keelwatch sets itself cannot be overridden.
const RESERVED_HEADERS = new Set([
  "content-type",
  "content-length",
  "host",
  "idempotency-key",
  "x-keelwatch-delivery",
  "x-keelwatch-event",
  "x-keelwatch-signature",
  "x-keelwatch-timestamp",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HeaderValue = z
  .string()
  .max(4000)
  .regex(/^[^\r\n]*$/, "must be one line");

const WebhookFields = {
  url: HttpUrl,
  hmacSecret: z
    .string()
    .min(16, "must be at least 16 characters")
    .max(500)
    .nullable()
    .optional()
    .describe("shared secret: each body is signed in X-Keelwatch-Signature as sha256=HMAC-SHA256(secret, body)"),
  headers: z
    .record(z.string(), HeaderValue)
    .superRefine((headers, context) => {
      for (const name of Object.keys(headers)) {
        const problem = !HEADER_NAME.test(name)
          ? "is not a valid HTTP header name"
          : RESERVED_HEADERS.has(name.toLowerCase())
            ? "is set by Keelwatch itself"
            : null;
        if (problem) context.addIssue({ code: "custom", path: [name], message: problem });
      }
    })
    .optional()
    .describe("extra headers sent with every request (values are kept secret)"),
};

const EmailAddress = z.email({ error: "is not an e-mail address" }).max(320);
const EmailFields = {
  host: z.string().trim().min(1).max(255).describe("SMTP server host name"),
  port: z.coerce.number().int().min(1).max(65535).describe("587 for STARTTLS, 465 for TLS, 25 on a local relay"),
  security: z
    .enum(["starttls", "tls", "none"])
    .describe("starttls: upgrade and require TLS; tls: TLS from the first byte; none: plain (local relays only)"),
  username: z.string().max(320).nullable().optional(),
  password: z.string().max(1000).nullable().optional().describe("kept secret"),
  from: EmailAddress,
  to: z.array(EmailAddress).min(1).max(50),
};

const Common = { name: Name, enabled: z.boolean().optional() };

export const ChannelInputSchema = z.discriminatedUnion("kind", [
  z.object({ ...Common, kind: z.literal("webhook"), ...WebhookFields }).strict(),
  z.object({ ...Common, kind: z.literal("slack"), url: HttpUrl }).strict(),
  z.object({ ...Common, kind: z.literal("teams"), url: HttpUrl }).strict(),
  z.object({ ...Common, kind: z.literal("email"), ...EmailFields }).strict(),
]);
export type ChannelInput = z.infer<typeof ChannelInputSchema>;

/**
 * A change: any field of any kind, all optional; the kind itself stays. A secret
 * left out keeps its stored value; `null` clears an optional one. The merged
 * result is checked against the kind's own schema.
 */
export const ChannelPatchSchema = z
  .object({
    name: Name.optional(),
    enabled: z.boolean().optional(),
    url: HttpUrl.optional(),
    hmacSecret: WebhookFields.hmacSecret,
    headers: WebhookFields.headers,
    host: EmailFields.host.optional(),
    port: EmailFields.port.optional(),
    security: EmailFields.security.optional(),
    username: EmailFields.username,
    password: EmailFields.password,
    from: EmailFields.from.optional(),
    to: EmailFields.to.optional(),
  })
  .strict();
export type ChannelPatch = z.infer<typeof ChannelPatchSchema>;

/** The fields of each kind that are stored encrypted. */
export const SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  webhook: ["url", "hmacSecret", "headers"],
  slack: ["url"],
  teams: ["url"],
  email: ["password"],
};

export interface SplitChannel {
  config: Record<string, unknown>;
  secrets: Record<string, unknown>;
}

export function splitChannelInput(input: ChannelInput): SplitChannel {
  const { name: _name, enabled: _enabled, kind, ...fields } = input;
  const secretNames = new Set(SECRET_FIELDS[kind]);
  const config: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    (secretNames.has(field) ? secrets : config)[field] = value;
  }
  return { config, secrets };
}

/** A channel's full settings as the sender uses them, rebuilt from the stored halves. */
export const ChannelSettingsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("webhook"), ...WebhookFields }),
  z.object({ kind: z.literal("slack"), url: HttpUrl }),
  z.object({ kind: z.literal("teams"), url: HttpUrl }),
  z.object({ kind: z.literal("email"), ...EmailFields }),
]);
export type ChannelSettings = z.infer<typeof ChannelSettingsSchema>;
