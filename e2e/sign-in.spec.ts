import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

test("a visitor who is not signed in is sent to the sign-in page", async ({ page }) => {
  await page.goto("/alerts");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to Keelwatch" })).toBeVisible();
});

test("a wrong password is refused with a message that does not say which part was wrong", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login/);
});

test("signing out ends the session on the server", async ({ page }) => {
  await signInAsAdmin(page);
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === "keelwatch_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // The old cookie value no longer opens anything.
  const replay = await page.request.get("/api/auth/me", {
    headers: { cookie: `keelwatch_session=${session?.value}` },
  });
  expect(replay.status()).toBe(401);
});

test("API calls without credentials get a JSON error", async ({ request }) => {
  const response = await request.get("/api/auth/me");
  expect(response.status()).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
});
