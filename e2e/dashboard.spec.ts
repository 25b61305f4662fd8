import path from "node:path";
import { expect, test } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { E2E_DATABASE_URL } from "./database";
import { signInAsAdmin } from "./helpers";

const ECS_FIXTURE = path.join(import.meta.dirname, "fixtures", "ecs-cloud-defend.ndjson");

test("the dashboard charts uploaded detections and every figure opens the alerts behind it", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/uploads");
  await page.getByLabel("Events file").setInputFiles(ECS_FIXTURE);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("region", { name: "Report for ecs-cloud-defend.ndjson" })).toBeVisible();

  await page.goto("/?range=all");
  await expect(page.getByRole("button", { name: "All time" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("heading", { name: /Alerts over time/ })).toBeVisible();
  await expect(
    page.getByRole("figure", { name: "Alerts over time, by severity" }).locator(".recharts-bar-rectangle").first(),
  ).toBeVisible();

  const topRules = page.getByRole("region", { name: "Top rules" });
  const networkTool = topRules.getByRole("link", { name: /Suspicious Network Tool Launched Inside A Container/ });
  await expect(networkTool).toBeVisible();
  await expect(page.getByRole("region", { name: "Top images" }).getByRole("link").first()).toBeVisible();

  await page.getByRole("button", { name: "24 hours" }).click();
  await expect(page).toHaveURL(/range=24h/);

  await page.goto("/?range=all");
  await page
    .getByRole("region", { name: "Top rules" })
    .getByRole("link", { name: /Suspicious Network Tool/ })
    .click();
  await expect(page).toHaveURL(/\/alerts\?rule=1a289854-5b78-49fe-9440-8a8096b1ab50/);
});

const SPREAD_RULE = { id: "e2e-dashboard-spread", name: "E2E dashboard: alerts spread over months" };
const SPREAD_DAYS = 400;

/** One alert a day for more than a year: the span at which "All time" used to draw no visible bars. */
async function seedAlertsOverMonths(): Promise<void> {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.rule.upsert({
      where: { id: SPREAD_RULE.id },
      update: {},
      create: {
        id: SPREAD_RULE.id,
        name: SPREAD_RULE.name,
        description: "Seeded by e2e/dashboard.spec.ts",
        query: "process where true",
        severity: "medium",
        riskScore: 47,
      },
    });
    await db.alert.createMany({
      data: Array.from({ length: SPREAD_DAYS }, (_, day) => ({
        ruleId: SPREAD_RULE.id,
        ruleName: SPREAD_RULE.name,
        severity: day % 5 === 0 ? "high" : "medium",
        severityRank: day % 5 === 0 ? 3 : 2,
        riskScore: 47,
        dedupKey: `${SPREAD_RULE.id}-${day}`,
        timestamp: new Date(Date.UTC(2025, 6, 1, 12) + day * 86_400_000),
        containerId: "cid-spread",
        containerName: "e2e-spread",
      })),
    });
  } finally {
    await db.$disconnect();
  }
}

async function removeAlertsOverMonths(): Promise<void> {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.alert.deleteMany({ where: { ruleId: SPREAD_RULE.id } });
    await db.rule.deleteMany({ where: { id: SPREAD_RULE.id } });
  } finally {
    await db.$disconnect();
  }
}

test.describe("alerts spread over months", () => {
  test.use({ reducedMotion: "reduce" });
  test.beforeAll(seedAlertsOverMonths);
  test.afterAll(removeAlertsOverMonths);

  test("All time draws bars wide enough to see and click, and a bar opens its alerts", async ({ page }, info) => {
    await signInAsAdmin(page);
    await page.goto("/?range=all");
    const chart = page.getByRole("figure", { name: "Alerts over time, by severity" });
    await expect(chart.locator(".recharts-bar-rectangle").first()).toBeAttached();
    // By day, 400 days drew bars under 2 px wide; a bar an analyst can see and click is at least 3 px.
    const bars = chart.locator(".recharts-bar-rectangle path");
    const measure = () =>
      bars.evaluateAll((paths) =>
        paths.map((path) => {
          const box = path.getBoundingClientRect();
          return { width: box.width, height: box.height };
        }),
      );
    // Recharts grows bars from the axis when drawn, and draws them again when the figures refresh: in one fresh
    // clone's run a second measurement found every bar 0 px high again. The chart skips that animation for
    // reduced motion (asked for above), and the boxes checked are the very ones the poll saw.
    let boxes: { width: number; height: number }[] = [];
    await expect
      .poll(async () => {
        boxes = await measure();
        return boxes.filter((box) => box.height >= 1).length;
      })
      .toBeGreaterThan(10);
    const sizes = boxes.filter((box) => box.height >= 1).map((box) => box.width);
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(3);
    const picture = info.outputPath("dashboard-all-time.png");
    await chart.screenshot({ path: picture });
    await info.attach("alerts over time, all time", { path: picture, contentType: "image/png" });

    // The screen reader's summary names each bucket's whole period: weeks or months here.
    await expect(chart.locator("figcaption")).toContainText(/(Week of [A-Z][a-z]{2} \d+, 2025|[A-Z][a-z]{2} 2025): /);

    const lastDrawn = boxes.findLastIndex((box) => box.height >= 1);
    await bars.nth(lastDrawn).click();
    await expect(page).toHaveURL(/\/alerts\?severity=\w+&from=2026-[^&]+&to=2026-/);
    await expect(page.getByTestId("alert-row").first()).toBeVisible();
  });
});
