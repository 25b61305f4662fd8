import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";

/** The built-in seed rules (lib/rules/builtin); the ECS sample incident fires each of them. */
const SEED_RULES = [
  { id: "1a289854-5b78-49fe-9440-8a8096b1ab50", name: "Suspicious Network Tool Launched Inside A Container" },
  { id: "8d3d0794-c776-476b-8674-ee2e685f6470", name: "Suspicious Interactive Shell Spawned From Inside A Container" },
  { id: "1e8dd6fb-cbc9-4e94-b4b2-ec2b236ffd93", name: "Network utility executed in container" },
];
/** The container the sample's web shell runs in: its alerts are the sample's, whatever else the database holds. */
const ATTACKED_CONTAINER = "php-fpm";

async function sampleLoaded(page: Page): Promise<boolean> {
  const response = await page.request.get("/api/samples");
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { loaded: boolean }).loaded;
}

test("load the sample incident, reach an alert of each seed rule, then remove the sample data", async ({ page }) => {
  test.setTimeout(60_000);
  await signInAsAdmin(page);
  await ensureBuiltinRules(page.request, new URL(page.url()).origin);
  await page.goto("/");
  // Other specs share this database: the empty dashboard offers the sample, otherwise the uploads page does.
  await expect(page.getByText(/No alerts yet|Open alerts/).first()).toBeVisible();
  const onDashboard = page.getByRole("button", { name: "Load sample incident" });
  if (!(await onDashboard.isVisible())) await page.goto("/uploads");
  await page.getByRole("button", { name: "Load sample incident" }).click();
  await expect(page).toHaveURL(/\/alerts$/, { timeout: 20_000 });
  expect(await sampleLoaded(page)).toBe(true);

  for (const rule of SEED_RULES) {
    await page.getByLabel("Rule", { exact: true }).selectOption(rule.id);
    await expect(page).toHaveURL(new RegExp(`[?&]rule=${rule.id}`));
    const sampleRows = page.getByTestId("alert-row").filter({ hasText: ATTACKED_CONTAINER });
    await expect(sampleRows.first()).toBeVisible();
    await sampleRows.first().getByRole("link", { name: rule.name }).click();
    await expect(page.getByRole("heading", { level: 1, name: rule.name })).toBeVisible();
    await expect(page.getByText(ATTACKED_CONTAINER).first()).toBeVisible();
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  }

  await page.goto("/");
  const notice = page.getByRole("region", { name: "Sample data" });
  await expect(notice).toContainText("Sample incident (ECS)");
  await notice.getByRole("button", { name: "Remove sample data" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove sample data?" });
  await dialog.getByRole("button", { name: "Remove sample data" }).click();
  await expect(notice).toBeHidden();
  expect(await sampleLoaded(page)).toBe(false);
});

test("a viewer is offered no sample loading and cannot load one", async ({ page }) => {
  await signInAsAdmin(page);
  const username = `samples-viewer-${Date.now().toString(36)}`;
  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/users", {
    headers: { origin },
    data: { username, displayName: "Samples viewer", role: "viewer", password: "viewer-password-0123" },
  });
  expect(created.status()).toBe(201);
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("viewer-password-0123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText("Samples viewer");
  await page.goto("/uploads");
  await expect(page.getByRole("heading", { level: 1, name: "Uploads" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Load sample incident" })).toHaveCount(0);
  const refused = await page.request.post("/api/samples/load", { data: {}, headers: { origin } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");
});
