import { syncBuiltinRules } from "../db/rules";
import { loadBuiltinRules } from "../rules/load";

/** Server start-up: make the database hold the current built-in rule pack. */
export async function installBuiltinRules(): Promise<void> {
  const rules = await loadBuiltinRules();
  const { inserted, updated } = await syncBuiltinRules(rules);
  if (inserted.length + updated.length > 0) {
    console.log(`keelwatch: built-in rules: ${inserted.length} added, ${updated.length} updated`);
  }
}
