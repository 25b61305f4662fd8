import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";
import { createIngestToken, push } from "./sensor-push";

/**
 * Falco's own alerts, as Falco writes them (e2e/fixtures/sensors/falco-alerts.ndjson), become Keelwatch alerts
 * through the built-in "Falco alert" promotion rule: named after the Falco rule, with the severity its priority maps
 * to, and an exception written from one silences the next. They arrive as a sensor sends them: pushed with an ingest
 * token to POST /api/events without a file name.
 */
const FALCO_LINES = readFileSync(path.join(import.meta.dirname, "fixtures", "sensors", "falco-alerts.ndjson"), "utf8")
  .trim()
  .split("\n");

/** An hour ago: the alert list's default range holds it. */
const START = Date.now() - 60 * 60_000;

/** A fixture line in a container of this run only, `minutes` after START, so runs against one database do not collide. */
function falcoLine(index: number, containerId: string, minutes: number): string {
  const alert = JSON.parse(FALCO_LINES[index]!) as { output_fields: Record<string, unknown> };
  const time = new Date(START + minutes * 60_000).toISOString();
  return JSON.stringify({ ...alert, time, output_fields: { ...alert.output_fields, "container.id": containerId } });
}

test("Falco's alerts are promoted with their Falco rule and severity; an exception from one silences the next", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await ensureBuiltinRules(page.request, origin);
  const containerId = Date.now().toString(16).padStart(12, "0").slice(-12);
  const token = await createIngestToken(page.request, origin, `falco-alerts-${containerId}`);
  const pushLines = (lines: string[]) => push(request, token.token, `${lines.join("\n")}\n`);

  const first = await pushLines([falcoLine(0, containerId, 0), falcoLine(1, containerId, 0)]);
  expect(first.alerts.created).toBe(2);

  await page.goto(`/alerts?container=${containerId}`);
  const rows = page.getByTestId("alert-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "Terminal shell in container" })).toContainText(/medium/i);
  await expect(rows.filter({ hasText: "Read sensitive file untrusted" })).toContainText(/high/i);

  await rows.getByRole("link", { name: "Terminal shell in container" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Terminal shell in container" })).toBeVisible();
  const sensor = page.getByRole("region", { name: "Sensor alert" });
  await expect(sensor.getByTestId("sensor-rule")).toHaveText("Terminal shell in container");
  await expect(sensor.getByTestId("sensor-output")).toContainText(
    "A shell was spawned in a container with an attached terminal",
  );

  await page.getByRole("link", { name: "Add exception" }).click();
  const form = page.getByRole("form", { name: "New exception" });
  await expect(form.getByLabel("Applies to").locator("option:checked")).toHaveText("Falco alert");
  await expect(form.getByLabel("Value, group 1 condition 1")).toHaveValue("Terminal shell in container");
  await form.getByLabel("Name").fill(`Shell in the frontend ${containerId}`);
  await form.getByRole("button", { name: "Create exception" }).click();
  await expect(page).toHaveURL(/\/exceptions$/);

  // The same Falco alert ten minutes later (past the promotion rule's 5-minute suppression) raises nothing; another
  // Falco rule in the same container still does.
  const next = await pushLines([falcoLine(0, containerId, 10), falcoLine(1, containerId, 10)]);
  expect(next.alerts.suppressedByException).toBe(1);
  expect(next.alerts.created).toBe(1);
});
