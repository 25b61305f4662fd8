import { z } from "zod";
import { KEELWATCH_VERSION } from "@/lib/app/version";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { WebhookPayloadSchema } from "@/lib/notify/message";
import { API_OPERATIONS, type ApiOperation } from "./operations";

/**
 * Builds the OpenAPI 3.1 document of Keelwatch's HTTP API from the operation
 * registry (lib/api/operations.ts) and the zod schemas the route handlers
 * validate with, so the document cannot drift from what is enforced.
 */

type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  components: { securitySchemes: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, OpenApiOperation>>;
  /** What Keelwatch itself sends: the generic webhook channel's request (lib/notify). */
  webhooks: Record<string, Record<string, JsonSchema>>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  "x-keelwatch-permission"?: string;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema; description?: string }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

/** Request schemas describe what a caller sends: the input side of transforms and defaults. */
function toSchema(schema: z.ZodType): JsonSchema {
  const converted = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
  const { $schema: _ignored, ...rest } = converted as JsonSchema;
  return rest;
}

/**
 * Query parameters come from a zod object's properties. Intersections (as the
 * alert filters use) become `allOf` in JSON Schema; their parts are merged.
 */
export function queryParameters(schema: z.ZodType): OpenApiParameter[] {
  const json = toSchema(schema);
  const parts = Array.isArray(json.allOf) ? (json.allOf as JsonSchema[]) : [json];
  const parameters = new Map<string, OpenApiParameter>();
  for (const part of parts) {
    const properties = (part.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((part.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...propertySchema } = property;
      parameters.set(name, {
        name,
        in: "query",
        required: required.has(name) && !("default" in property),
        ...(typeof description === "string" ? { description } : {}),
        schema: propertySchema,
      });
    }
  }
  return [...parameters.values()];
}

function pathParameters(path: string): OpenApiParameter[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1] as string,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
}

/** e.g. PATCH /api/alerts/{id} → patchAlertsById; stable, so clients can generate code from it. */
export function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, "")
    .split(/[/.-]/)
    .filter(Boolean)
    .map((segment) => (segment.startsWith("{") ? `by-${segment.slice(1, -1)}` : segment))
    .flatMap((segment) => segment.split("-"));
  return method.toLowerCase() + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

const ERROR_SCHEMA_REF = { $ref: "#/components/schemas/Error" };

function responsesOf(operation: ApiOperation): OpenApiOperation["responses"] {
  const success = operation.response;
  const responses: OpenApiOperation["responses"] = {
    [String(success.status)]: {
      description: success.description,
      ...(success.status === 204
        ? {}
        : {
            content: {
              [success.contentType ?? "application/json"]: { schema: success.contentType ? { type: "string" } : {} },
            },
          }),
    },
  };
  // Only an operation that reads input can find it invalid.
  const takesInput = Boolean(operation.query || operation.body || operation.rawBody);
  const errors: Record<number, string> = { ...operation.errors };
  if (takesInput) errors[400] ??= "invalid request (details name the field)";
  if (operation.auth.kind === "permission") {
    errors[401] ??= "no valid session or API token";
    errors[403] ??= `the caller's role lacks ${operation.auth.permission}, or a cross-site request`;
  }
  for (const [status, description] of Object.entries(errors)) {
    const isError = Number(status) >= 400;
    responses[status] = {
      description,
      ...(isError ? { content: { "application/json": { schema: ERROR_SCHEMA_REF } } } : {}),
    };
  }
  return responses;
}

function requestBodyOf(operation: ApiOperation): OpenApiOperation["requestBody"] {
  const content: NonNullable<OpenApiOperation["requestBody"]>["content"] = {};
  if (operation.body) content["application/json"] = { schema: toSchema(operation.body) };
  for (const type of operation.rawBody?.contentTypes ?? []) {
    content[type] = { schema: { type: "string", description: operation.rawBody?.description } };
  }
  if (Object.keys(content).length === 0) return undefined;
  // A body whose schema also accepts no body at all (the sample loader defaults to ECS) is optional.
  const optional = operation.body?.safeParse(undefined).success === true;
  return { required: !optional, content };
}

function buildOperation(operation: ApiOperation): OpenApiOperation {
  const requestBody = requestBodyOf(operation);
  return {
    operationId: operationId(operation.method, operation.path),
    summary: operation.summary,
    tags: [operation.tag],
    security: operation.auth.kind === "public" ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
    ...(operation.auth.kind === "permission" ? { "x-keelwatch-permission": operation.auth.permission } : {}),
    parameters: [...pathParameters(operation.path), ...(operation.query ? queryParameters(operation.query) : [])],
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(operation),
  };
}

export function buildOpenApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const operation of operations) {
    const byMethod = paths[operation.path] ?? {};
    paths[operation.path] = byMethod;
    const method = operation.method.toLowerCase();
    if (byMethod[method]) throw new Error(`lib/api/operations.ts lists ${operation.method} ${operation.path} twice`);
    byMethod[method] = buildOperation(operation);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Keelwatch API",
      version: KEELWATCH_VERSION,
      description:
        "Triage container runtime-security detections. Authenticate with `Authorization: Bearer <token>` " +
        "(Settings → API tokens, or `keelwatch token create`) or the session cookie of a signed-in browser; " +
        "each operation names the permission its role must hold in `x-keelwatch-permission`.",
    },
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token created in Settings → API tokens" },
        sessionCookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
            },
          },
        },
      },
    },
    paths,
    webhooks: { alertNotification: notificationWebhook() },
  };
}

/** The generic webhook channel's POST, so receivers can be written from this document. */
function notificationWebhook(): Record<string, JsonSchema> {
  const header = (name: string, description: string, required = true) => ({
    name,
    in: "header",
    required,
    description,
    schema: { type: "string" },
  });
  return {
    post: {
      summary: "A notification Keelwatch sends to a generic webhook channel (new alert, digest or test)",
      parameters: [
        header("Idempotency-Key", "the delivery id, the same on every retry: drop a request whose key you have seen"),
        header("X-Keelwatch-Delivery", "the same delivery id"),
        header("X-Keelwatch-Event", "alert | digest | test"),
        header("X-Keelwatch-Timestamp", "when this attempt was sent, ISO 8601"),
        header(
          "X-Keelwatch-Signature",
          "with a shared secret set: sha256=<hex of HMAC-SHA256(secret, raw request body)>",
          false,
        ),
      ],
      requestBody: { required: true, content: { "application/json": { schema: toSchema(WebhookPayloadSchema) } } },
      responses: { "2XX": { description: "received; any other answer (or none within 15 s) is retried with backoff" } },
    },
  };
}
