import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

test("the dashboard shows the app shell and a healthy server", async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page).toHaveTitle("Dashboard · Keelwatch");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of ["Dashboard", "Alerts", "Rules", "Exceptions", "Uploads", "Settings"]) {
    await expect(nav.getByRole("link", { name: section })).toBeVisible();
  }
  await expect(page.getByTestId("server-status")).toHaveText("ok");
  await expect(page.getByRole("heading", { name: "No alerts yet" })).toBeVisible();
});

test("navigation leads to each section with an empty state that says what to do", async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Alerts" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "Upload an events file" }).click();
  await expect(page).toHaveURL(/\/uploads$/);
  await expect(page.getByRole("heading", { level: 1, name: "Uploads" })).toBeVisible();
});

test("the health endpoint answers without authentication", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", db: "ok" });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

test("an unknown page says so and links home", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
