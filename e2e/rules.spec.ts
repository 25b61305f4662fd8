import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Locator, type Page, type TestInfo, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";

const BUILTIN = [
  "Suspicious Network Tool Launched Inside A Container",
  "Suspicious Interactive Shell Spawned From Inside A Container",
  "Network utility executed in container",
  // The promotion rules: the sensors' own alerts become alerts.
  "Falco alert",
  "Tetragon policy hit",
  "Datadog Workload Protection signal",
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

test("importing a Kibana export reports each rule; an imported rule can be edited, duplicated and deleted", async ({
  page,
}) => {
  const SHM = "Process Started From Shared Memory Inside A Container";
  await openRules(page);
  await page.getByRole("button", { name: "Import rules…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import rules" });
  await dialog
    .getByLabel("Rule file")
    .setInputFiles(path.join(import.meta.dirname, "..", "lib", "rules", "fixtures", "kibana-export.ndjson"));
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog.getByTestId("import-summary")).toHaveText(
    "kibana-export.ndjson: 1 created, 0 updated, 0 unchanged, 3 refused",
  );
  await expect(dialog.getByText(/type "query" \(language "kuery"\) is not supported/)).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByRole("link", { name: SHM }).click();

  // Edit: the saved change becomes a new version, the old one is kept.
  await page.getByRole("button", { name: "Edit rule" }).click();
  await page.getByLabel("Severity").selectOption("critical");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("form", { name: "Edit rule" })).toHaveCount(0);
  const history = page.getByRole("list", { name: "Version history" });
  await expect(history).toContainText("v5 (current)");
  await expect(history).toContainText("v4");
  await expect(history).toContainText("then changed: severity");

  await page.getByRole("button", { name: "Duplicate" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${SHM} (copy)` })).toBeVisible();
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("button", { name: "Delete rule" }).click();
  await expect(page).toHaveURL(/\/rules$/);
  await expect(page.getByRole("link", { name: SHM, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: `${SHM} (copy)` })).toHaveCount(0);
});

/**
 * The ECS fixture with fresh times (the last few minutes, so "last 7 days"
 * holds it), and a container name and entity ids unique to this run so its
 * events are new to the shared database and recognisable in the preview.
 */
function freshFixture(suffix: string): { name: string; mimeType: string; buffer: Buffer } {
  const lines = readFileSync(path.join(import.meta.dirname, "fixtures", "ecs-cloud-defend.ndjson"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const start = Date.now() - 10 * 60_000;
  const events = lines.map((line, index) => {
    const event = JSON.parse(line) as {
      "@timestamp": string;
      container?: { name?: string };
      process?: { entity_id?: string };
    };
    event["@timestamp"] = new Date(start + index * 1_000).toISOString();
    if (event.container) event.container.name = `web-${suffix}`;
    if (event.process?.entity_id) event.process.entity_id = `${event.process.entity_id}-${suffix}`;
    return JSON.stringify(event);
  });
  return {
    name: `preview-${suffix}.ndjson`,
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${events.join("\n")}\n`),
  };
}

/** Kept in the test's output folder and attached to the report, for a person to look at. */
async function keepScreenshot(part: Locator, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await part.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

test("a rule's preview runs its query over stored events and places an error in an edited query", async ({
  page,
}, testInfo) => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const file = freshFixture(suffix);
  await signInAsAdmin(page);
  await ensureBuiltinRules(page.request, new URL(page.url()).origin);
  await page.goto("/uploads");
  await page.getByLabel("Events file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("region", { name: `Report for ${file.name}` })).toBeVisible();

  await page.goto("/rules");
  await page.getByRole("link", { name: NETWORK_TOOL, exact: true }).click();
  const form = page.getByRole("form", { name: "Preview rule" });
  await expect(form.getByLabel("Events to run over")).toHaveValue("7d");
  await form.getByRole("button", { name: "Run preview" }).click();
  const results = page.getByRole("region", { name: "Preview results" });
  // Other specs store events too: at least this run's three network tools were found.
  await expect(results.getByTestId("preview-summary")).toContainText(/\d+ match(es)? in \d+ events? scanned from/);
  const summary = (await results.getByTestId("preview-summary").textContent()) ?? "";
  expect(Number(/^([\d,]+) match/.exec(summary)?.[1]?.replaceAll(",", ""))).toBeGreaterThanOrEqual(3);
  await expect(results.getByTestId("preview-match").first()).toBeVisible();

  // Over this run's upload only: exactly its matches, in its container.
  await form.getByLabel("Events to run over").selectOption("upload");
  const uploadSelect = form.getByLabel("Upload", { exact: true });
  const option = uploadSelect.locator("option", { hasText: file.name });
  await expect(option).toHaveCount(1);
  await uploadSelect.selectOption((await option.getAttribute("value")) ?? "");
  await form.getByRole("button", { name: "Run preview" }).click();
  await expect(results.getByTestId("preview-summary")).toHaveText(
    "3 matches in 15 events scanned in the chosen upload.",
  );
  await expect(results.getByTestId("preview-match")).toHaveCount(3);
  await expect(results.getByRole("row", { name: /nmap -sT/ })).toContainText(`web-${suffix}`);
  await keepScreenshot(form.locator("xpath=ancestor::section[1]"), testInfo, "rule-preview");

  // The preview runs the edited, unsaved query, and places its error too.
  await page.getByRole("button", { name: "Edit rule" }).click();
  await page.getByLabel("EQL query").fill('process where\n  process.name == "nc" and and');
  await form.getByRole("button", { name: "Run preview" }).click();
  const error = page.getByTestId("preview-error");
  await expect(error.getByTestId("query-error")).toContainText("Line 2, column 28");
  await keepScreenshot(form.locator("xpath=ancestor::section[1]"), testInfo, "rule-preview-error");
  await page.getByLabel("EQL query").fill('process where process.name == "nslookup"');
  await form.getByRole("button", { name: "Run preview" }).click();
  await expect(error).toHaveCount(0);
  await expect(results.getByTestId("preview-summary")).toHaveText("1 match in 15 events scanned in the chosen upload.");
  await page.getByRole("button", { name: "Cancel" }).click();
});
