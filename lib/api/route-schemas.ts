import { z } from "zod";
import { PREVIEW_MAX_DAYS } from "@/lib/db/exceptions";
import { RuleFilterSchema } from "@/lib/db/rule-admin";
import {
  ConditionGroupsSchema,
  ExceptionItemInputSchema,
  ExceptionScopeSchema,
  ValueListInputSchema,
} from "@/lib/exceptions";

/**
 * Request schemas that used to live inside their route handlers. They sit here
 * so the handler and the OpenAPI document (lib/api/openapi.ts) share one
 * definition; a schema that already had a home in lib stays there.
 */

/** POST /api/auth/login */
export const LoginSchema = z.object({
  username: z.string().trim().min(1, "Enter your username").max(100),
  password: z.string().min(1, "Enter your password").max(1000),
});

/** GET /api/uploads */
export const UploadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(100).optional(),
});

/** GET /api/rules: query parameters are text; "enabled" is the only one that is not. */
export const RuleListQuerySchema = RuleFilterSchema.extend({
  enabled: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
});

/** POST /api/rules/preview: either an upload's events or a time range of stored events (default: the last 7 days). */
export const RulePreviewSchema = z
  .object({
    query: z.string().min(1).max(100_000),
    eventCategoryField: z.string().min(1).max(200).default("event.category"),
    timestampField: z.string().min(1).max(200).default("@timestamp"),
    tiebreakerField: z.string().min(1).max(200).optional(),
    uploadId: z.string().min(1).max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.int().min(1).max(500).default(50),
  })
  .refine((body) => !(body.uploadId && (body.from || body.to)), {
    message: "give either uploadId or a from/to range, not both",
    path: ["uploadId"],
  });

/** GET /api/exceptions */
export const ExceptionFilterSchema = z.object({
  rule: z.string().min(1).max(200).optional(),
  list: z.string().min(1).max(100).optional(),
  expired: z.enum(["true", "false"]).optional(),
});

/** POST /api/exceptions: `closeMatching: true` also closes the open alerts the new item covers. */
export const ExceptionCreateSchema = ExceptionItemInputSchema.extend({ closeMatching: z.boolean().optional() });

/** POST /api/exceptions/preview */
export const ExceptionPreviewSchema = z.object({
  scope: ExceptionScopeSchema,
  groups: ConditionGroupsSchema,
  days: z.int().min(1).max(PREVIEW_MAX_DAYS).default(7),
});

/** POST /api/value-lists with a text/plain body names the list in the query. */
export const ValueListNameQuerySchema = z.object({ name: ValueListInputSchema.shape.name });
