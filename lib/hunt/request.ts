import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * What a hunt asks for: an EQL query, a time range (the last 24 hours unless
 * given) and an optional scope. The scope becomes part of the event store's
 * `where`, so events outside it are never unpacked.
 */
export const HUNT_DEFAULT_RANGE_MS = 24 * 3_600_000;
export const HUNT_MAX_PAGE_SIZE = 500;

const optionalText = (max: number, description: string) =>
  z.preprocess((raw) => (raw === "" ? undefined : raw), z.string().min(1).max(max).optional()).describe(description);

export const HuntScopeSchema = z.object({
  query: z.string().min(1, "write a query").max(100_000).describe("the EQL query, as a rule's query"),
  from: z.iso.datetime({ offset: true }).optional().describe("start of the time range (default: 24 hours before to)"),
  to: z.iso.datetime({ offset: true }).optional().describe("end of the time range, exclusive (default: now)"),
  containerId: optionalText(300, "only events of this container.id"),
  hostName: optionalText(300, "only events of this host.name"),
  uploadId: optionalText(100, "only events of this upload"),
  eventCategoryField: z.string().min(1).max(200).default("event.category"),
  timestampField: z.string().min(1).max(200).default("@timestamp"),
  tiebreakerField: z.string().min(1).max(200).optional(),
});

/** POST /api/hunt */
export const HuntRequestSchema = HuntScopeSchema.extend({
  limit: z.int().min(1).max(HUNT_MAX_PAGE_SIZE).default(100).describe("results per page"),
  offset: z.int().min(0).default(0).describe("results to skip: the page's start (nextOffset of the previous page)"),
  count: z
    .boolean()
    .default(true)
    .describe(
      "false: answer as soon as the page is full, without reading the rest of the range (counted is then false, matches counts the results found so far and histogram is empty; POST /api/hunt/summary counts them all)",
    ),
});
export type HuntRequest = z.output<typeof HuntRequestSchema>;
export type HuntScope = z.output<typeof HuntScopeSchema>;

/** The resolved range; an error message when from is not before to. */
export function huntRange(scope: Pick<HuntScope, "from" | "to">, now = new Date()): { from: Date; to: Date } | string {
  const to = scope.to ? new Date(scope.to) : now;
  const from = scope.from ? new Date(scope.from) : new Date(to.getTime() - HUNT_DEFAULT_RANGE_MS);
  return from < to ? { from, to } : "from must be before to";
}

/** The event store filter of a scope: applied to the slim columns before any document is read. */
export function huntWhere(scope: HuntScope, range: { from: Date; to: Date }): Prisma.EventWhereInput {
  return {
    timestamp: { gte: range.from, lt: range.to },
    ...(scope.containerId ? { containerId: scope.containerId } : {}),
    ...(scope.hostName ? { hostName: scope.hostName } : {}),
    ...(scope.uploadId ? { uploadId: scope.uploadId } : {}),
  };
}
