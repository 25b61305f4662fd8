import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "../../e2e/helpers";

/**
 * README's alert-detail screenshot. Events go in through POST /api/events, as
 * a sensor would send them, so the picture shows a real built-in rule's alert
 * with its guide and checklist rather than hand-made data.
 */
const root = path.join(import.meta.dirname, "..", "..");
const EVENTS = path.join(root, "e2e", "fixtures", "ecs-cloud-defend.ndjson");
const OUTPUT = path.join(root, "docs", "images", "alert-detail.png");
const PREFERRED_RULE = "Suspicious Network Tool Launched Inside A Container";

test("alert detail screenshot for the README", async ({ page, baseURL }) => {
  // First-visit tips would hide part of the screen; the picture shows a returning analyst's view.
  await page.addInitScript(() => {
    for (const screen of ["dashboard", "alerts", "alertDetail", "uploads", "rules", "exceptions"]) {
      window.localStorage.setItem(`keelwatch.hint.${screen}.hidden`, "1");
    }
  });
  await signInAsAdmin(page);

  // Cookie-authenticated writes must come from Keelwatch's own origin (lib/auth/guard.ts).
  const upload = await page.request.post("/api/events?filename=ecs-cloud-defend.ndjson", {
    data: await readFile(EVENTS),
    headers: { "content-type": "application/x-ndjson", origin: baseURL ?? "" },
  });
  expect(upload.ok(), await upload.text()).toBe(true);

  const list = await page.request.get("/api/alerts?limit=50");
  const { items } = (await list.json()) as { items: { id: string; ruleName: string }[] };
  const alert = items.find((item) => item.ruleName === PREFERRED_RULE) ?? items[0];
  if (!alert) throw new Error(`${EVENTS} raised no alert; the screenshot needs one.`);

  await page.goto(`/alerts/${alert.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Loading", { exact: false })).toHaveCount(0);
  await page.screenshot({ path: OUTPUT, fullPage: false });
});
