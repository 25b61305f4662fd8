import { readFile } from "node:fs/promises";
import { expect, type Page, type TestInfo, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { hashPassword } from "../lib/auth/passwords";
import { createPrismaClient } from "../lib/db/client";
import { E2E_DATABASE_URL } from "./database";

/**
 * An analyst (here a viewer, who may read but not triage) narrows the alert
 * list and exports what it selects, more alerts than the list shows at once,
 * as CSV and as NDJSON; the files hold exactly those alerts.
 */

const MARK = "e2e-export";
const RULE = { id: "e2e-export-rule", name: "E2E export: tool in container" };
const VIEWER = { username: "export-viewer", displayName: "Export Viewer", password: "export-viewer-password-0123" };
/** More than the list's first page (100 rows), so the export cannot be the page on screen. */
const ALERT_COUNT = 260;
const COMMANDS = ['curl -o /tmp/x "http://a.test/x,y"', "=cmd|' /C calc'!A0", "sh -c 'one\ntwo'", "-e @x"] as const;

const severityOf = (index: number) => (index % 2 === 0 ? "high" : "low");

test.beforeAll(async () => {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.rule.upsert({
      where: { id: RULE.id },
      update: {},
      create: {
        id: RULE.id,
        name: RULE.name,
        description: "Seeded by e2e/alerts-export.spec.ts",
        query: 'process where process.name : "curl"',
        severity: "high",
        riskScore: 73,
      },
    });
    await db.user.upsert({
      where: { username: VIEWER.username },
      update: {},
      create: {
        username: VIEWER.username,
        displayName: VIEWER.displayName,
        role: "viewer",
        passwordHash: await hashPassword(VIEWER.password),
      },
    });
    await db.alert.deleteMany({ where: { ruleId: RULE.id } });
    await db.alert.createMany({
      data: Array.from({ length: ALERT_COUNT }, (_, index) => ({
        ruleId: RULE.id,
        ruleName: RULE.name,
        severity: severityOf(index),
        severityRank: severityOf(index) === "high" ? 3 : 1,
        riskScore: 73,
        dedupKey: `${MARK}-${index}`,
        timestamp: new Date(Date.UTC(2026, 10, 20, 8) + index * 60_000),
        containerId: `cid-${MARK}`,
        containerName: `${MARK}-web`,
        hostName: "e2e-node-1",
        processName: "curl",
        commandLine: COMMANDS[index % COMMANDS.length],
        userName: "root",
      })),
    });
  } finally {
    await db.$disconnect();
  }
});

test.afterAll(async () => {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.alert.deleteMany({ where: { ruleId: RULE.id } });
    await db.rule.deleteMany({ where: { id: RULE.id } });
    await db.user.deleteMany({ where: { username: VIEWER.username } });
  } finally {
    await db.$disconnect();
  }
});

async function signInAsViewer(page: Page): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(VIEWER.username);
  await page.getByLabel("Password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText(VIEWER.displayName);
}

/** Opens Export, picks a format, and answers the saved file's name and text; `info` keeps a picture of the menu. */
async function exportAs(
  page: Page,
  format: "CSV" | "NDJSON",
  info?: TestInfo,
): Promise<{ name: string; text: string }> {
  await page.getByRole("button", { name: "Export" }).click();
  const menu = page.getByRole("menu", { name: /^Export/ });
  await expect(menu).toBeVisible();
  if (info) {
    const file = info.outputPath("export-menu.png");
    await page.screenshot({ path: file });
    await info.attach("export menu", { path: file, contentType: "image/png" });
  }
  const downloading = page.waitForEvent("download");
  await menu.getByRole("menuitem", { name: new RegExp(`^${format}`) }).click();
  const download = await downloading;
  await expect(menu).toBeHidden();
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, "utf8") };
}

const HALF = ALERT_COUNT / 2;

/** Opens the list filtered to the seeded alerts of one severity: more than its first page. */
async function openFilteredList(page: Page, severity: "high" | "low"): Promise<void> {
  await signInAsViewer(page);
  await page.goto(`/alerts?q=${MARK}&severity=${severity}`);
  await expect(page.getByTestId("alert-total")).toHaveText(`${HALF} alerts`);
  await expect(page.getByText(`Showing 100 of ${HALF}`)).toBeVisible();
}

test("a viewer exports every alert the filters select as CSV, from a menu that works from the keyboard", async ({
  page,
}, info) => {
  await openFilteredList(page, "high");

  // The menu opens on its first item, arrows move, Escape closes it and returns to the button.
  const exportButton = page.getByRole("button", { name: "Export" });
  await expect(exportButton).toHaveAttribute("aria-expanded", "false");
  await exportButton.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu", { name: `Export ${HALF} matching alerts` });
  await expect(menu.getByRole("menuitem", { name: /^CSV/ })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: /^NDJSON/ })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(exportButton).toBeFocused();

  const csv = await exportAs(page, "CSV", info);
  expect(csv.name).toMatch(/^keelwatch-alerts-\d{8}T\d{6}Z\.csv$/);
  const records: Record<string, string>[] = parse(csv.text, { columns: true, record_delimiter: "\r\n" });
  expect(records).toHaveLength(HALF);
  expect(new Set(records.map((record) => record.id)).size).toBe(HALF);
  expect(new Set(records.map((record) => record.severity))).toEqual(new Set(["high"]));
  expect(new Set(records.map((record) => record.containerName))).toEqual(new Set([`${MARK}-web`]));
  // Newest first, like the list.
  const times = records.map((record) => record.timestamp ?? "");
  expect(times).toEqual([...times].sort().reverse());
  // High alerts are the even ones: commands 0 and 2 (a comma and quotes, a line break), read back exactly.
  expect(new Set(records.map((record) => record.commandLine))).toEqual(new Set([COMMANDS[0], COMMANDS[2]]));
});

test("a viewer exports the other half as NDJSON, and as CSV with its formula cells defused", async ({ page }) => {
  await openFilteredList(page, "low");
  const ndjson = await exportAs(page, "NDJSON");
  expect(ndjson.name).toMatch(/^keelwatch-alerts-\d{8}T\d{6}Z\.ndjson$/);
  const alerts = ndjson.text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { id: string; severity: string; commandLine: string });
  expect(alerts).toHaveLength(HALF);
  expect(new Set(alerts.map((alert) => alert.id)).size).toBe(HALF);
  expect(new Set(alerts.map((alert) => alert.severity))).toEqual(new Set(["low"]));
  // NDJSON keeps values as stored; the CSV of the same alerts prefixes the formulas with a quote.
  expect(new Set(alerts.map((alert) => alert.commandLine))).toEqual(new Set([COMMANDS[1], COMMANDS[3]]));
  const csv = await exportAs(page, "CSV");
  const records: Record<string, string>[] = parse(csv.text, { columns: true, record_delimiter: "\r\n" });
  expect(records.map((record) => record.id)).toEqual(alerts.map((alert) => alert.id));
  expect(new Set(records.map((record) => record.commandLine))).toEqual(new Set([`'${COMMANDS[1]}`, `'${COMMANDS[3]}`]));
});
