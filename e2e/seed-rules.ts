import { type APIRequestContext, expect } from "@playwright/test";
import { loadBuiltinRules } from "../lib/rules/load";

/**
 * The server installs the built-in rules when it starts. Should a build lack
 * that step, the rules are created through the API (the same validation as
 * an analyst's rule), so the rules screens always have something to show.
 * `request` must carry an admin's session (page.request after signing in).
 */
export async function ensureBuiltinRules(request: APIRequestContext, origin: string): Promise<string[]> {
  const rules = await loadBuiltinRules();
  const listed = await request.get("/api/rules");
  expect(listed.status()).toBe(200);
  const present = new Set(((await listed.json()) as { items: { id: string }[] }).items.map((rule) => rule.id));
  for (const rule of rules) {
    if (present.has(rule.id)) continue;
    const created = await request.post("/api/rules", { data: rule, headers: { origin } });
    expect(created.status(), `creating "${rule.name}"`).toBe(201);
  }
  return rules.map((rule) => rule.name);
}
