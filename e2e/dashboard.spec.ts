import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

const ECS_FIXTURE = path.join(import.meta.dirname, "fixtures", "ecs-cloud-defend.ndjson");

test("the dashboard charts uploaded detections and every figure opens the alerts behind it", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/uploads");
  await page.getByLabel("Events file").setInputFiles(ECS_FIXTURE);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("region", { name: "Report for ecs-cloud-defend.ndjson" })).toBeVisible();

  await page.goto("/?range=all");
  await expect(page.getByRole("button", { name: "All time" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("heading", { name: /Alerts over time/ })).toBeVisible();
  await expect(
    page.getByRole("figure", { name: "Alerts over time, by severity" }).locator(".recharts-bar-rectangle").first(),
  ).toBeVisible();

  const topRules = page.getByRole("region", { name: "Top rules" });
  const networkTool = topRules.getByRole("link", { name: /Suspicious Network Tool Launched Inside A Container/ });
  await expect(networkTool).toBeVisible();
  await expect(page.getByRole("region", { name: "Top images" }).getByRole("link").first()).toBeVisible();

  await page.getByRole("button", { name: "24 hours" }).click();
  await expect(page).toHaveURL(/range=24h/);

  await page.goto("/?range=all");
  await page
    .getByRole("region", { name: "Top rules" })
    .getByRole("link", { name: /Suspicious Network Tool/ })
    .click();
  await expect(page).toHaveURL(/\/alerts\?rule=1a289854-5b78-49fe-9440-8a8096b1ab50/);
});
