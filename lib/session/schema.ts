import { z } from "zod";

export const DEFAULT_SESSION_PAGE = 200;
export const MAX_SESSION_PAGE = 1_000;

const blankIsAbsent = (raw: unknown) => (raw === "" ? undefined : raw);

/** GET /api/alerts/:id/session's query. */
export const SessionQuerySchema = z.object({
  cursor: z.preprocess(
    blankIsAbsent,
    z
      .string()
      .regex(/^\d{1,6}$/, "is not a cursor from this API (use nextCursor)")
      .optional()
      .describe("nextCursor of the previous page; absent for the first"),
  ),
  limit: z.preprocess(
    blankIsAbsent,
    z.coerce.number().int().min(1).max(MAX_SESSION_PAGE).default(DEFAULT_SESSION_PAGE).describe("processes per page"),
  ),
  outline: z.preprocess(
    blankIsAbsent,
    z
      .enum(["true", "false", "1", "0"])
      .optional()
      .transform((value) => value === "true" || value === "1")
      .describe("true adds the whole tree's shape: depth and descendant count of every row, in display order"),
  ),
  at: z.preprocess(
    blankIsAbsent,
    z
      .enum(["alert"])
      .optional()
      .describe("alert: without a cursor, answer the page that holds the alert's own process instead of the first"),
  ),
  q: z.preprocess(
    blankIsAbsent,
    z
      .string()
      .max(200)
      .optional()
      .describe(
        "search: adds `matches`, the rows whose name, executable, arguments, user or working directory contain it (any case)",
      ),
  ),
});
export type SessionQuery = z.output<typeof SessionQuerySchema>;
