import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import {
  GUIDE_HEADING,
  HOSTILE_COMMAND_LINE,
  HOSTILE_EVENT_VALUE,
  type SeededAlert,
  seedAlertDetail,
  TRIAGE_STEPS,
  VIEWER_PASSWORD,
} from "./seed-alert-detail";

let seeded: SeededAlert;

/** Kept in the test's output folder and attached to the report, for people to look at. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

test.beforeAll(async () => {
  seeded = await seedAlertDetail();
});

test.afterAll(async () => {
  await seeded?.cleanup();
});

test("an analyst reads the alert, works the checklist, acknowledges, closes and notes it", async ({
  page,
}, testInfo) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await signInAsAdmin(page);
  await page.goto(`/alerts/${seeded.alertId}`);

  // the guide renders as markdown; its <script> and the event's markup show as text
  const guide = page.getByTestId("investigation-guide");
  await expect(guide.getByRole("heading", { name: GUIDE_HEADING })).toBeVisible();
  await expect(guide.getByRole("table")).toBeVisible();
  await expect(guide).toContainText('<script>window.__keelwatchPwned = "guide"</script>');
  const link = guide.getByRole("link", { name: /MITRE T1059/ });
  await expect(link).toHaveAttribute("rel", /noopener/);
  await expect(link).toHaveAttribute("target", "_blank");
  const fields = page.getByTestId("event-fields");
  await expect(fields.getByRole("row", { name: /labels\.note/ })).toContainText(HOSTILE_EVENT_VALUE);
  await expect(page.getByTestId("command-line")).toHaveText(HOSTILE_COMMAND_LINE);
  await expect(page.locator("main script, main img")).toHaveCount(0);
  expect(
    await page.evaluate(() => (window as unknown as { __keelwatchPwned?: string }).__keelwatchPwned),
  ).toBeUndefined();

  await expect(page.getByRole("link", { name: "Add exception" })).toHaveAttribute(
    "href",
    `/exceptions/new?fromAlert=${seeded.alertId}`,
  );

  // the field table filters
  await page.getByLabel("Filter fields").fill("command_line");
  await expect(fields.getByRole("row")).toHaveCount(2);
  await page.getByLabel("Filter fields").fill("");

  // the process tree shows the parent shell above the alert's process
  const tree = page.getByTestId("process-tree");
  await expect(tree).toContainText("sh");
  await expect(tree.locator('[aria-current="true"]')).toContainText("nc");
  await screenshot(page, testInfo, "alert-detail");

  // check a triage step: who and when are shown, and survive a reload
  await page.getByRole("checkbox", { name: TRIAGE_STEPS[0] }).check();
  await expect(page.getByTestId("triage-step-0-checked-by")).toContainText("Checked by Administrator");
  await expect(page.getByText("Saving…")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("checkbox", { name: TRIAGE_STEPS[0] })).toBeChecked();
  await expect(page.getByTestId("triage-step-0-checked-by")).toContainText("Checked by Administrator");
  await expect(page.getByRole("checkbox", { name: TRIAGE_STEPS[1] })).not.toBeChecked();

  // a note on the step
  await page.getByRole("button", { name: "Add note on triage step 1" }).click();
  await page.getByLabel("Note on triage step 1").fill("Image is nginx:1.27, not a debug image.");
  await page.getByRole("button", { name: "Save note" }).click();
  await expect(page.getByTestId("triage-step-0")).toContainText("Image is nginx:1.27, not a debug image.");

  // acknowledge, then close as a false positive
  const status = page.getByTestId("alert-status");
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(status).toContainText("Acknowledged");
  await page.getByLabel("Closing reason").selectOption("false_positive");
  await page.getByRole("button", { name: "Close alert" }).click();
  await expect(status).toContainText("Closed");
  await expect(status).toContainText("as False positive");

  // a note in the thread
  await page.getByLabel("Add a note").fill("Closed: <b>scheduled</b> connectivity check.");
  await page.getByRole("button", { name: "Add note", exact: true }).click();
  await expect(page.getByTestId("notes")).toContainText("Closed: <b>scheduled</b> connectivity check.");

  // everything above is in the history, and still there after a reload
  await page.reload();
  const history = page.getByTestId("history");
  await expect(history).toContainText("Administrator checked triage step 1");
  await expect(history).toContainText("changed status open → acknowledged");
  await expect(history).toContainText("changed status acknowledged → closed (False positive)");
  await expect(history).toContainText("added a note");
  await expect(page.getByTestId("notes")).toContainText("Closed: <b>scheduled</b> connectivity check.");
  await screenshot(page, testInfo, "alert-detail-after-triage");
  expect(dialogs).toEqual([]);
});

test("a change made elsewhere meanwhile is reported and the alert reloaded", async ({ page, baseURL }) => {
  await signInAsAdmin(page);
  await page.goto(`/alerts/${seeded.alertId}`);
  const status = page.getByTestId("alert-status");
  await expect(status).toBeVisible();
  const before = await page.request.get(`/api/alerts/${seeded.alertId}`);
  const { version } = (await before.json()) as { version: number };

  // another analyst reopens it behind this page's back
  const other = await page.request.patch(`/api/alerts/${seeded.alertId}`, {
    headers: { origin: baseURL ?? "", "if-match": `"${version}"` },
    data: { status: "open" },
  });
  expect(other.status()).toBe(200);

  await page.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.getByTestId("patch-problem")).toContainText("Someone else changed this alert");
  await expect(status).toContainText("Open");
  await expect(page.getByTestId("alert-assignee")).toHaveText("Unassigned");

  // after the reload the analyst carries on from the keyboard: "a" acknowledges
  await page.getByTestId("patch-problem").getByRole("button", { name: "Dismiss" }).click();
  // the status changes at once (optimistic): the reload waits for the server to have stored it
  const acknowledged = page.waitForResponse(
    (response) => response.url().endsWith(`/api/alerts/${seeded.alertId}`) && response.request().method() === "PATCH",
  );
  await page.keyboard.press("a");
  await expect(status).toContainText("Acknowledged");
  expect((await acknowledged).ok()).toBe(true);
  await page.reload();
  await expect(status).toContainText("Acknowledged");
});

test("related alerts link to each other", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto(`/alerts/${seeded.alertId}`);
  const related = page.getByRole("region", { name: "Related alerts" });
  await expect(related).toContainText("Same container (1)");
  await related.getByRole("link", { name: new RegExp(seeded.relatedRuleName) }).click();
  await expect(page).toHaveURL(new RegExp(`/alerts/${seeded.relatedAlertId}$`));
  await expect(page.getByRole("heading", { level: 1, name: seeded.relatedRuleName })).toBeVisible();
  await expect(page.getByRole("region", { name: "Related alerts" }).getByRole("link")).toHaveCount(1);
});

test("a viewer reads the alert but cannot change it", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Username").fill(seeded.viewerUsername);
  await page.getByLabel("Password").fill(VIEWER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText(/^Viewer /);
  await page.goto(`/alerts/${seeded.alertId}`);
  await expect(page.getByRole("checkbox", { name: TRIAGE_STEPS[0] })).toBeDisabled();
  await expect(page.getByText("Your role can read alerts but not change them.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Acknowledge|Reopen|Close alert|Assign to me|Add note/ })).toHaveCount(
    0,
  );
  await expect(page.getByRole("link", { name: "Add exception" })).toHaveCount(0);
  await expect(page.getByTestId("history")).toContainText("checked triage step 1");
});

test("an unknown alert says so", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/alerts/no-such-alert");
  await expect(page.getByRole("heading", { name: "Alert not found" })).toBeVisible();
});
