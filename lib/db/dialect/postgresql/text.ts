/**
 * PostgreSQL's text type cannot hold U+0000: a string with one is refused whole (SQLSTATE 22021), where SQLite
 * stores it as is. A NUL is valid in JSON (`\u0000`), so a sensor's event may carry one in any field: such an event
 * must not fail its batch. The event's document keeps it (blocks are bytea); what goes into text columns (the slim
 * event columns, processes, alerts, notes, errors) has each NUL written as U+FFFD, the replacement character, which
 * says where something unrepresentable was. Lookups go through the same mapping, so they find what was stored.
 */
export const NUL_STAND_IN = "\uFFFD";

export function withoutNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", NUL_STAND_IN) : text;
}

/**
 * `value` with withoutNul applied to every string inside it: plain objects and arrays are copied when something in
 * them changed, everything else (bytes, dates, numbers, Prisma's own values) is passed on as it is.
 */
export function deepWithoutNul<T>(value: T): T {
  if (typeof value === "string") return withoutNul(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const mapped = value.map((item) => {
      const next = deepWithoutNul(item);
      if (next !== item) changed = true;
      return next;
    });
    return (changed ? mapped : value) as T;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const mapped: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const next = deepWithoutNul(item);
      if (next !== item) changed = true;
      mapped[key] = next;
    }
    return (changed ? mapped : value) as T;
  }
  return value;
}
