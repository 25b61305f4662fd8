import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, type TestInfo, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";

/**
 * An analyst judges a network tool in one workload benign, writes an
 * exception from its alert, and sees it close that alert and keep the next
 * such event from raising one; then manages the exception on its page. The
 * database is shared with other specs, so everything here carries a suffix
 * unique to the run and only this run's rows are counted.
 */

const NETWORK_TOOL = "Suspicious Network Tool Launched Inside A Container";
const SHELL = "Suspicious Interactive Shell Spawned From Inside A Container";
const suffix = Math.random().toString(36).slice(2, 8);
const containerId = `c-${suffix}`;
const image = `registry.local/netcheck-${suffix}`;
const exceptionName = `Netcheck probes ${suffix}`;

test.describe.configure({ mode: "serial" });

/** `nc` in the netcheck container, as cloud_defend reports it; only the network tool rule matches it. */
function netcheckEvent(n: number, args: string[]) {
  return {
    "@timestamp": new Date(Date.now() - 5 * 60_000 + n * 1_000).toISOString(),
    event: { category: ["process"], type: ["start"], action: "exec", kind: "event", module: "cloud_defend" },
    container: { id: containerId, name: `netcheck-${suffix}`, image: { name: image, tag: "2.1" } },
    orchestrator: { namespace: "ops", resource: { type: "pod", name: `netcheck-${suffix}-0` } },
    host: { name: "worker-3" },
    user: { name: "nobody", id: "65534" },
    process: {
      name: "nc",
      executable: "/usr/bin/nc",
      args,
      entity_id: `nc-${suffix}-${n}`,
      interactive: false,
      entry_leader: { entity_id: `leader-${suffix}`, same_as_process: false },
      parent: { entity_id: `leader-${suffix}`, executable: "/bin/sh", name: "sh" },
    },
  };
}

async function upload(page: Page, name: string, events: object[]): Promise<Locator> {
  await page.goto("/uploads");
  await page.getByLabel("Events file").setInputFiles({
    name,
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${events.map((event) => JSON.stringify(event)).join("\n")}\n`),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  const report = page.getByRole("region", { name: `Report for ${name}` });
  await expect(report).toBeVisible();
  return report;
}

/** The value shown beside a figure of the upload report. */
function figure(report: Locator, label: string): Locator {
  return report.getByText(label, { exact: true }).locator("..");
}

/** Removes every prefilled condition on `field` (row numbers shift as rows go, so it looks again each time). */
async function removeConditions(form: Locator, field: string): Promise<void> {
  for (;;) {
    const fields = form.getByLabel(/^Field, group 1 condition \d+$/);
    const count = await fields.count();
    let label: string | null = null;
    for (let i = 0; i < count && label === null; i++) {
      if ((await fields.nth(i).inputValue()) === field) label = await fields.nth(i).getAttribute("aria-label");
    }
    if (label === null) return;
    await form.getByRole("button", { name: `Remove ${label.replace("Field, ", "")}`, exact: true }).click();
  }
}

async function conditionFields(form: Locator): Promise<string[]> {
  const fields = form.getByLabel(/^Field, group 1 condition \d+$/);
  const values: string[] = [];
  for (let i = 0; i < (await fields.count()); i++) values.push(await fields.nth(i).inputValue());
  return values;
}

/** Kept in the test's output folder and attached to the report, for a person to look at. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

const row = (page: Page) =>
  page.getByRole("table", { name: "Exception items" }).getByRole("row").filter({ hasText: exceptionName });

test("an exception made from an alert closes it and suppresses the next such event", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  await ensureBuiltinRules(page.request, new URL(page.url()).origin);
  const first = await upload(page, `netcheck-${suffix}-1.ndjson`, [netcheckEvent(1, ["nc", "-zv", "10.0.0.5", "443"])]);
  await expect(figure(first, "Alerts created")).toContainText("1");

  await page.goto(`/alerts?container=${containerId}`);
  await page.getByTestId("alert-row").getByRole("link", { name: NETWORK_TOOL }).click();
  await expect(page.getByRole("heading", { level: 1, name: NETWORK_TOOL })).toBeVisible();
  const alertUrl = page.url();
  await page.getByRole("link", { name: "Add exception" }).click();

  // The form starts from the alert's telling fields, each removable.
  const form = page.getByRole("form", { name: "New exception" });
  await expect(form.getByLabel("Applies to")).toHaveValue(/^rule:/);
  await expect(form.getByLabel("Applies to").locator("option:checked")).toHaveText(NETWORK_TOOL);
  expect(await conditionFields(form)).toEqual([
    "container.image.name",
    "process.executable",
    "process.args",
    "process.args",
    "process.args",
    "process.args",
    "process.parent.executable",
    "user.name",
    "orchestrator.namespace",
  ]);
  await expect(form.getByLabel("Value, group 1 condition 1")).toHaveValue(image);
  for (const field of ["process.args", "process.parent.executable", "user.name", "orchestrator.namespace"]) {
    await removeConditions(form, field);
  }
  expect(await conditionFields(form)).toEqual(["container.image.name", "process.executable"]);
  await form.getByLabel("Name").fill(exceptionName);

  await form.getByRole("button", { name: "Preview impact" }).click();
  const impact = form.getByRole("region", { name: "Impact preview" });
  await expect(impact).toContainText("1 open alert would be closed.");
  await expect(impact.getByRole("link", { name: NETWORK_TOOL })).toHaveAttribute("href", new URL(alertUrl).pathname);
  await keepScreenshot(page, testInfo, "exception-impact-preview");

  await expect(form.getByLabel("Close matching open alerts (reason: false positive)")).toBeChecked();
  await form.getByRole("button", { name: "Create exception" }).click();
  await expect(page).toHaveURL(/\/exceptions$/);
  await expect(page.getByRole("status")).toHaveText(`Created “${exceptionName}”; 1 matching alert closed.`);

  await page.goto(alertUrl);
  await expect(page.getByTestId("alert-status")).toContainText(/^closed\s*as False positive/i);

  // The same kind of event later (new process, other arguments) raises nothing.
  const second = await upload(page, `netcheck-${suffix}-2.ndjson`, [netcheckEvent(2, ["nc", "-zv", "10.0.0.6", "80"])]);
  await expect(figure(second, "Accepted")).toContainText("1");
  await expect(figure(second, "Alerts created")).toContainText("0");
  await expect(figure(second, "Suppressed")).toContainText("1");
  await expect(
    second.getByText("1 of the suppressed matches were covered by a false-positive exception"),
  ).toBeVisible();
  await expect(second.getByText("No rule raised a new alert.")).toBeVisible();
});

test("the exceptions page lists, filters and edits the exception", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/exceptions");
  await expect(page.getByRole("heading", { level: 1, name: "Exceptions" })).toBeVisible();
  await expect(row(page)).toHaveCount(1);
  await expect(row(page)).toContainText(`Rule: ${NETWORK_TOOL}`);
  await expect(row(page).getByRole("link", { name: NETWORK_TOOL })).toHaveAttribute("href", /^\/rules\/[^/]+$/);
  await expect(row(page)).toContainText(`container.image.name is "${image}"AND process.executable is "/usr/bin/nc"`);
  await keepScreenshot(page, testInfo, "exceptions-page");

  const filters = page.getByRole("form", { name: "Filter exceptions" });
  await filters.getByLabel("Rule").selectOption({ label: SHELL });
  await expect(row(page)).toHaveCount(0);
  await filters.getByLabel("Rule").selectOption({ label: NETWORK_TOOL });
  await expect(row(page)).toHaveCount(1);
  await filters.getByLabel("Status").selectOption("true");
  await expect(row(page)).toHaveCount(0);
  await filters.getByLabel("Status").selectOption("false");
  await expect(row(page)).toHaveCount(1);

  await row(page)
    .getByRole("button", { name: `Edit ${exceptionName}` })
    .click();
  const form = page.getByRole("form", { name: `Edit exception ${exceptionName}` });
  await expect(form.getByLabel("Value, group 1 condition 2")).toHaveValue("/usr/bin/nc");
  await form.getByLabel("Description").fill("Nightly reachability probes of the netcheck job.");
  await form.getByLabel("Comment (why this is a false positive)").fill("Owned by the platform team.");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved “${exceptionName}”.`);
  await expect(row(page)).toContainText("Nightly reachability probes of the netcheck job.");

  await row(page)
    .getByRole("button", { name: `Edit ${exceptionName}` })
    .click();
  await expect(page.getByRole("region", { name: "Comments" })).toContainText("Owned by the platform team.");
  await page.getByRole("button", { name: "Cancel" }).click();
});

test("an exported exception can be deleted and imported back", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/exceptions");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export NDJSON" }).click();
  const exported = await readFile(await (await download).path(), "utf8");
  const mine = exported.split("\n").filter((line) => line.includes(exceptionName));
  expect(mine).toHaveLength(1);
  expect(JSON.parse(mine[0] ?? "{}")).toMatchObject({ type: "exception_item", name: exceptionName });

  // Delete asks first; cancelling (button or Escape) keeps the item.
  const deleteButton = row(page).getByRole("button", { name: `Delete ${exceptionName}` });
  await deleteButton.click();
  const dialog = page.getByRole("dialog", { name: "Delete exception?" });
  await expect(dialog).toContainText(exceptionName);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await deleteButton.click();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(row(page)).toHaveCount(1);
  await row(page)
    .getByRole("button", { name: `Delete ${exceptionName}` })
    .click();
  await dialog.getByRole("button", { name: "Delete exception" }).click();
  await expect(page.getByRole("status").first()).toHaveText(`Deleted “${exceptionName}”.`);
  await expect(row(page)).toHaveCount(0);

  await page.getByLabel("NDJSON exported from Keelwatch").setInputFiles({
    name: "exceptions.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${mine.join("\n")}\n`),
  });
  await expect(page.getByText("Imported 1 item, 0 new lists, 0 updated lists.")).toBeVisible();
  await expect(row(page)).toHaveCount(1);
  await expect(row(page)).toContainText(`container.image.name is "${image}"AND process.executable is "/usr/bin/nc"`);

  // Leave nothing behind that could suppress another spec's events.
  await row(page)
    .getByRole("button", { name: `Delete ${exceptionName}` })
    .click();
  await dialog.getByRole("button", { name: "Delete exception" }).click();
  await expect(row(page)).toHaveCount(0);
});
