import { z } from "zod";

/**
 * The alert list's filter language, shared by the API (validation), lib/db
 * (SQL) and the browser (URL state). It imports no database code, so client
 * components may import it without pulling Prisma into the bundle.
 */

export const ALERT_STATUSES = ["open", "acknowledged", "closed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_SORTS = ["newest", "oldest", "severity", "risk"] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];

export const CLOSING_REASONS = ["true_positive", "false_positive", "benign", "duplicate"] as const;
export type ClosingReason = (typeof CLOSING_REASONS)[number];

export const ALERT_GROUP_BYS = ["rule", "container", "host"] as const;
export type AlertGroupBy = (typeof ALERT_GROUP_BYS)[number];

export const MAX_LIST_LIMIT = 500;
export const DEFAULT_LIST_LIMIT = 50;
/** Free text is split into words; each must appear in one of the searched fields. */
export const MAX_SEARCH_TERMS = 8;

/** `?status=open&status=closed` and `?status=open,closed` mean the same; duplicates are dropped. */
function multiValue<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((raw) => {
    if (raw === undefined || raw === null || raw === "") return undefined;
    const list = (Array.isArray(raw) ? raw : [raw]).flatMap((item) =>
      typeof item === "string" ? item.split(",") : [item],
    );
    const cleaned = list.map((item) => (typeof item === "string" ? item.trim() : item)).filter((item) => item !== "");
    return cleaned.length === 0 ? undefined : [...new Set(cleaned)];
  }, z.array(z.enum(values)).optional());
}

/** A trimmed string param where "" means absent. */
export const optionalText = (max: number) =>
  z.preprocess(
    (raw) => (typeof raw === "string" && raw.trim() === "" ? undefined : raw),
    z.string().trim().max(max).optional(),
  );

// Accepts a Date too, so a parsed filter can be parsed again unchanged.
const isoTime = z.preprocess(
  (raw) => (raw === "" ? undefined : raw instanceof Date ? raw.toISOString() : raw),
  z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time such as 2026-11-23T09:00:00Z" })
    .transform((text) => new Date(text))
    .optional(),
);

/** Which rows to show, without paging. */
export const AlertFilterSchema = z
  .object({
    status: multiValue(ALERT_STATUSES),
    severity: multiValue(SEVERITIES),
    rule: optionalText(200),
    container: optionalText(300),
    host: optionalText(300),
    /** one upload's alerts; a sensor source's are those of its stream upload (GET /api/sources: streamUploadId) */
    upload: optionalText(100),
    q: optionalText(200),
    from: isoTime,
    to: isoTime,
  })
  .superRefine((filter, context) => {
    if (filter.from && filter.to && filter.from > filter.to) {
      context.addIssue({ code: "custom", path: ["to"], message: "must not be before `from`" });
    }
  });
export type AlertFilter = z.infer<typeof AlertFilterSchema>;

/** URL search params → the plain object the schemas read; repeated keys become arrays. */
export function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    result[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return result;
}

/** A failed parse as one line naming each field, e.g. `severity: Invalid option …`. */
export function describeIssues(error: z.ZodError): { message: string; details: { field: string; message: string }[] } {
  const details = error.issues.map((issue) => ({ field: issue.path.join(".") || "(query)", message: issue.message }));
  return { message: details.map((d) => `${d.field}: ${d.message}`).join("; "), details };
}

export const BulkAlertActionSchema = z
  .object({
    ids: z
      .array(z.string().min(1).max(100))
      .min(1, "name at least one alert")
      .max(MAX_LIST_LIMIT, `at most ${MAX_LIST_LIMIT} alerts per request`),
    action: z.enum(["acknowledge", "close", "assign", "reopen"]),
    closingReason: z.enum(CLOSING_REASONS).optional(),
    /** for `assign`: the user to assign, or null to unassign */
    assigneeId: z.string().min(1).max(100).nullable().optional(),
  })
  .superRefine((input, context) => {
    if (input.action === "close" && !input.closingReason) {
      context.addIssue({
        code: "custom",
        path: ["closingReason"],
        message: `closing alerts needs a reason: ${CLOSING_REASONS.join(", ")}`,
      });
    }
    if (input.action === "assign" && input.assigneeId === undefined) {
      context.addIssue({
        code: "custom",
        path: ["assigneeId"],
        message: "assign needs a user id, or null to unassign",
      });
    }
  });
export type BulkAlertAction = z.infer<typeof BulkAlertActionSchema>;
