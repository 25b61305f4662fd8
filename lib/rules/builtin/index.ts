import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the built-in rule pack (`<rule-id>/rule.toml` + `guide.md`) lives.
 *
 * Under tsx and vitest this module runs from its source folder, so its own
 * directory is the pack. Next.js bundles server code into `.next/`, where the
 * module's directory is a chunk folder without the pack; there the files are
 * read from the project root (`next start` runs with the project as cwd).
 * The pack is read at run time, not bundled: rules stay editable files.
 */
export function builtinRulesDir(cwd: string = process.cwd()): string {
  const own = moduleDir();
  if (own && existsSync(/*turbopackIgnore: true*/ path.join(own, PACK_MARKER))) return own;
  return path.join(cwd, "lib", "rules", "builtin");
}

/** A file that only the pack folder has, to tell it from a bundler's chunk folder. */
const PACK_MARKER = "README.md";

function moduleDir(): string | null {
  try {
    return import.meta.dirname ?? path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return null;
  }
}
