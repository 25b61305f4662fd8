import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";

const BUILTIN = [
  "Suspicious Network Tool Launched Inside A Container",
  "Suspicious Interactive Shell Spawned From Inside A Container",
  "Network utility executed in container",
];
const SHELL = "Suspicious Interactive Shell Spawned From Inside A Container";
const NETWORK_TOOL = "Suspicious Network Tool Launched Inside A Container";

async function openRules(page: Page) {
  await signInAsAdmin(page);
  const names = await ensureBuiltinRules(page.request, new URL(page.url()).origin);
  expect(names.sort()).toEqual([...BUILTIN].sort());
  await page.goto("/rules");
  await expect(page).toHaveTitle("Rules · Keelwatch");
}

function waitForPatch(page: Page) {
  return page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().includes("/api/rules/"));
}

test("the built-in rules are listed, and switching one off survives a reload", async ({ page }) => {
  await openRules(page);
  const table = page.getByRole("table", { name: "Rules" });
  for (const name of BUILTIN) await expect(table.getByRole("link", { name, exact: true })).toBeVisible();

  const toggle = page.getByRole("switch", { name: `Enable ${SHELL}` });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const saved = waitForPatch(page);
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  expect((await saved).status()).toBe(200);

  await page.reload();
  await expect(page.getByRole("switch", { name: `Enable ${SHELL}` })).toHaveAttribute("aria-checked", "false");

  // The status filter lives in the URL.
  await page.getByLabel("Status").selectOption("false");
  await expect(page).toHaveURL(/enabled=false/);
  await expect(page.getByTestId("rule-row")).toHaveCount(1);
  await expect(page.getByRole("link", { name: SHELL })).toBeVisible();

  // Put it back on for the specs that upload events.
  const restored = waitForPatch(page);
  await page.getByRole("switch", { name: `Enable ${SHELL}` }).click();
  expect((await restored).status()).toBe(200);
});

test("a rule's page shows its query and guide, and the editor places a query error", async ({ page }) => {
  await openRules(page);
  await page.getByRole("link", { name: NETWORK_TOOL, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: NETWORK_TOOL })).toBeVisible();
  await expect(page.getByTestId("rule-query")).toContainText('process where container.id: "*"');
  const guide = page.getByTestId("rule-guide");
  await expect(
    guide.getByRole("heading", { name: "Investigating a network tool launched inside a container" }),
  ).toBeVisible();

  await page.getByRole("button", { name: "Edit rule" }).click();
  const query = page.getByLabel("EQL query");
  await query.fill('process where\n  process.name == "nc" and and');
  await expect(page.getByTestId("query-error")).toContainText("Line 2, column 28");
  await query.fill('process where process.name == "nc"');
  await expect(page.getByText("The query compiles.")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("rule-query")).toContainText('process where container.id: "*"');
});
