import { type ExceptionCondition, OPERATOR_LABELS } from "@/lib/exceptions/schema";

/** One condition as a person reads it: `process.name is "nc"`. */
export function describeCondition(condition: ExceptionCondition, valueListNames: ReadonlyMap<string, string>): string {
  const head = `${condition.field} ${OPERATOR_LABELS[condition.operator]}`;
  if (condition.value !== undefined) return `${head} "${condition.value}"`;
  if (condition.values !== undefined) return `${head} (${condition.values.map((v) => `"${v}"`).join(", ")})`;
  if (condition.listId !== undefined) return `${head} ${valueListNames.get(condition.listId) ?? condition.listId}`;
  return head;
}
