import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

// Names unique per test run, so the spec can be repeated against the same database.
function unique(base: string): string {
  return `${base}-${Date.now().toString(36)}${test.info().repeatEachIndex}`;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("an admin creates an analyst, who then sees only their own account in settings", async ({ page }) => {
  const username = unique("e2e-analyst");
  const ANALYST = { username, displayName: `Analyst ${username}`, password: "analyst-password-0123" };
  await signInAsAdmin(page);
  await page.goto("/settings");
  await expect(page.getByRole("tab", { name: "Users" })).toHaveAttribute("aria-selected", "true");

  // The server names the field it refused.
  await page.getByLabel("Username", { exact: true }).fill(ANALYST.username);
  await page.getByLabel("Display name", { exact: true }).fill(ANALYST.displayName);
  await page.getByLabel("Role", { exact: true }).selectOption("analyst");
  await page.getByLabel("Initial password").fill("too short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.locator("#new-password-error")).toHaveText("Use at least 12 characters");

  await page.getByLabel("Initial password").fill(ANALYST.password);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Created user" })).toHaveText(
    `Created user ${ANALYST.username}.`,
  );
  const row = page.getByTestId(`user-row-${ANALYST.username}`);
  await expect(row).toContainText(ANALYST.displayName);
  await expect(row.getByLabel(`Role of ${ANALYST.username}`)).toHaveValue("analyst");

  await signOut(page);
  await page.getByLabel("Username").fill(ANALYST.username);
  await page.getByLabel("Password").fill(ANALYST.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText(ANALYST.displayName);

  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
  await expect(page.getByRole("tab", { name: "My account" })).toBeVisible();
  for (const adminTab of ["Users", "API tokens", "Audit log"]) {
    await expect(page.getByRole("tab", { name: adminTab })).toHaveCount(0);
  }
  // Hiding the tabs is courtesy; the API itself refuses.
  expect((await page.request.get("/api/users")).status()).toBe(403);
  expect((await page.request.get("/api/audit")).status()).toBe(403);
});

test("an admin creates an API token, sees it exactly once, and revokes it", async ({ page, request }) => {
  const TOKEN_NAME = unique("e2e-dashboard");
  await signInAsAdmin(page);
  await page.goto("/settings");
  await page.getByRole("tab", { name: "API tokens" }).click();

  await page.getByLabel("Token name").fill(TOKEN_NAME);
  await page.getByLabel("Token role").selectOption("viewer");
  await page.getByLabel("Expires after (days)").fill("7");
  await page.getByRole("button", { name: "Create token" }).click();

  const box = page.getByTestId("new-token");
  await expect(box).toContainText("you will not see it again");
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^kw_/);

  // The token works for a script.
  const me = await request.get("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ principal: { kind: "token", name: TOKEN_NAME, role: "viewer" } });

  await page.getByRole("button", { name: "I have saved it" }).click();
  await expect(box).toHaveCount(0);
  await page.reload();
  await page.getByRole("tab", { name: "API tokens" }).click();
  const row = page.getByTestId(`token-row-${TOKEN_NAME}`);
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText("Never used");
  expect(await page.content()).not.toContain(token);
  const listed = await page.request.get("/api/tokens");
  expect(await listed.text()).not.toContain(token);

  await row.getByRole("button", { name: `Revoke ${TOKEN_NAME}` }).click();
  await row.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  const refused = await request.get("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);

  await page.getByRole("tab", { name: "Audit log" }).click();
  await page.getByLabel("Action").selectOption("token.revoke");
  await expect(page.getByTestId("audit-row").first()).toContainText(TOKEN_NAME);
});
