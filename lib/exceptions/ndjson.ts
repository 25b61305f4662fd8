/**
 * Exceptions exported and imported as NDJSON, one JSON object a line:
 * - `{"type":"exception_list","name","description","rules":[ruleId…]}` — a
 *   shared list and the rules it is attached to;
 * - `{"type":"exception_item","name","description","ruleId"|"listName",
 *   "groups","expiresAt"?}` — an item, scoped to a rule by id or to a shared
 *   list by name (list ids differ between installations, names are unique).
 * Lists come before the items that name them. Value-list conditions keep
 * their value list id; an import whose value list does not exist is refused
 * for that line.
 */
import { z } from "zod";
import { ConditionGroupsSchema, issuePath } from "./schema";

export const ExportedListSchema = z.object({
  type: z.literal("exception_list"),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4_000).default(""),
  rules: z.array(z.string().min(1).max(200)).max(10_000).default([]),
});
export type ExportedList = z.infer<typeof ExportedListSchema>;

export const ExportedItemSchema = z
  .object({
    type: z.literal("exception_item"),
    name: z.string().trim().min(1).max(200),
    description: z.string().max(4_000).default(""),
    ruleId: z.string().min(1).max(200).optional(),
    listName: z.string().min(1).max(200).optional(),
    groups: ConditionGroupsSchema,
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .refine((item) => (item.ruleId === undefined) !== (item.listName === undefined), {
    message: "An item names exactly one of ruleId and listName",
    path: ["ruleId"],
  });
export type ExportedItem = z.infer<typeof ExportedItemSchema>;

export const ExportedLineSchema = z.discriminatedUnion("type", [ExportedListSchema, ExportedItemSchema]);
export type ExportedLine = z.infer<typeof ExportedLineSchema>;

export interface LineError {
  line: number;
  message: string;
}

export const MAX_IMPORT_LINES = 10_000;

/** Parses NDJSON text into validated lines; errors carry the 1-based line and the field path. */
export function parseExceptionsNdjson(text: string): {
  lines: { line: number; value: ExportedLine }[];
  errors: LineError[];
} {
  const lines: { line: number; value: ExportedLine }[] = [];
  const errors: LineError[] = [];
  const rows = text.split(/\r?\n/);
  for (let index = 0; index < rows.length; index++) {
    const raw = rows[index]?.trim() ?? "";
    if (raw === "") continue;
    const line = index + 1;
    if (lines.length + errors.length >= MAX_IMPORT_LINES) {
      errors.push({ line, message: `At most ${MAX_IMPORT_LINES} lines are imported at once` });
      break;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      errors.push({ line, message: `Not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = ExportedLineSchema.safeParse(json);
    if (!parsed.success) {
      const summary = parsed.error.issues.map((issue) => `${issuePath(issue.path) || "(line)"}: ${issue.message}`);
      errors.push({ line, message: summary.join("; ") });
      continue;
    }
    lines.push({ line, value: parsed.data });
  }
  return { lines, errors };
}

export function toNdjson(lines: readonly ExportedLine[]): string {
  return lines.map((line) => JSON.stringify(line)).join("\n") + (lines.length > 0 ? "\n" : "");
}
