import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

test("the dashboard shows the app shell and a healthy server", async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page).toHaveTitle("Dashboard · Keelwatch");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of ["Dashboard", "Alerts", "Rules", "Exceptions", "Uploads", "Sources", "Settings"]) {
    await expect(nav.getByRole("link", { name: section })).toBeVisible();
  }
  await expect(page.getByTestId("server-status")).toHaveText("ok");
  // Other specs share the database, so the dashboard may show figures or its empty state.
  await expect(page.getByRole("heading", { name: /No alerts yet|Alerts over time/ })).toBeVisible();
});

test("navigation leads to each section and marks the current one", async ({ page }) => {
  await signInAsAdmin(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [section, path] of [
    ["Alerts", "/alerts"],
    ["Rules", "/rules"],
    ["Exceptions", "/exceptions"],
    ["Uploads", "/uploads"],
    ["Sources", "/sources"],
    ["Settings", "/settings"],
    ["API reference", "/api-docs"],
  ] as const) {
    await nav.getByRole("link", { name: section }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole("link", { name: section })).toHaveAttribute("aria-current", "page");
  }
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
