/** Reads ECS fields from a normalised (nested) event, for alert context columns. */
type Json = Record<string, unknown>;

export function ecsValue(event: Json, path: string): unknown {
  let current: unknown = event;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    // own keys only: "constructor" or "__proto__" in a path must not reach Object.prototype
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Json)[segment];
  }
  return current;
}

/** The field as one string: first value of an array, numbers as text, anything else null. */
export function ecsText(event: Json, path: string): string | null {
  const value = ecsValue(event, path);
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first === "" ? null : first;
  if (typeof first === "number" || typeof first === "boolean") return String(first);
  return null;
}

/** The command line as an analyst reads it: process.command_line, else the args joined. */
export function commandLine(event: Json): string | null {
  const line = ecsText(event, "process.command_line");
  if (line) return line;
  const args = ecsValue(event, "process.args");
  if (Array.isArray(args)) return args.map(String).join(" ") || null;
  return typeof args === "string" ? args : null;
}
