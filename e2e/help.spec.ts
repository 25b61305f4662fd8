import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

const tip = (page: Page) => page.getByRole("complementary", { name: "Tip for this screen" });

test("a first-visit tip shows once per screen and stays hidden after Got it", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/alerts");
  await expect(tip(page)).toContainText("Each row is one rule match");
  await page.screenshot({ path: testInfo.outputPath("alerts-with-tip.png"), fullPage: false });
  // Inline above the page, not over it: the page heading sits below the tip.
  const tipBox = await tip(page).boundingBox();
  const headingBox = await page.getByRole("heading", { level: 1, name: "Alerts" }).boundingBox();
  expect(tipBox && headingBox && tipBox.y + tipBox.height <= headingBox.y).toBe(true);

  await tip(page).getByRole("button", { name: "Got it" }).click();
  await expect(tip(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(tip(page)).toHaveCount(0);

  // Another screen has its own tip.
  await page.goto("/rules");
  await expect(tip(page)).toContainText("Built-in rules come from Elastic and Datadog");
});

test("the API reference lists the endpoints from the OpenAPI document", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  const events = page.locator("#postEvents");
  await expect(events).toContainText("/api/events");
  await expect(events).toContainText("Needs events:ingest");
  await expect(events.getByRole("cell", { name: "format", exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("api-docs.png"), fullPage: false });

  const document = await page.request.get("/api/openapi.json");
  expect(document.ok()).toBe(true);
  const body = (await document.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(body.openapi).toBe("3.1.0");
  expect(Object.keys(body.paths)).toContain("/api/alerts/{id}");
});
