import { createHash } from "node:crypto";

/**
 * The identity of an event: sha256 of its normalised JSON. Key order is made
 * canonical so the same event from two producers that order keys differently
 * is still recognised as one.
 */
export function contentHash(event: unknown): string {
  return createHash("sha256").update(canonicalJson(event)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    .join(",")}}`;
}
