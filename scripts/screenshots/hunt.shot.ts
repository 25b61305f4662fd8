import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "../../e2e/helpers";

/**
 * README's hunt screenshot: the sample incident loaded through the normal
 * pipeline, and a hunt for the network tools run in the web shell's
 * container over the last 24 hours.
 */
const root = path.join(import.meta.dirname, "..", "..");
const OUTPUT = path.join(root, "docs", "images", "hunt.png");
const QUERY = 'process where process.name in ("curl", "wget", "nc") and container.name == "php-fpm"';

test("hunt screenshot for the README", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await page.addInitScript(() => {
    for (const screen of ["dashboard", "alerts", "alertDetail", "uploads", "rules", "exceptions", "hunt"]) {
      window.localStorage.setItem(`keelwatch.hint.${screen}.hidden`, "1");
    }
  });
  await signInAsAdmin(page);
  const loaded = await page.request.post("/api/samples/load", {
    data: { format: "ecs" },
    headers: { origin: baseURL ?? "" },
  });
  expect(loaded.ok(), await loaded.text()).toBe(true);

  await page.goto("/hunt");
  await page.getByLabel("EQL query").fill(QUERY);
  await page.getByRole("button", { name: "Hunt", exact: true }).click();
  const results = page.getByRole("region", { name: "Hunt results" });
  await expect(results.getByTestId("hunt-summary")).toContainText("results", { timeout: 20_000 });
  await expect(results.getByTestId("event-row").first()).toBeVisible();
  await page.locator("main").screenshot({ path: OUTPUT });
});
