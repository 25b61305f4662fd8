import { expect, type Page, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

/**
 * Uploaded events are attacker-controlled text. This spec uploads events whose
 * every text field carries markup, script, ANSI escapes and control characters,
 * then opens everything that shows them (upload report, alert list, alert
 * detail) and checks that nothing ran and no element was injected: the text
 * must appear as text.
 */

const IMG = `<img src=x onerror="window.__kwPwned='img';alert('img')">`;
const SCRIPT = `<script>window.__kwPwned='script';alert('script')</script>`;
const SVG = `<svg onload="window.__kwPwned='svg';alert('svg')"></svg>`;
const ANSI = "\u001b[31mred\u001b[0m\u001b]0;title\u0007";
const CONTROL = "bell\u0007back\u0008vt\u000bdel\u007f";
const HOSTILE = `${IMG}${SCRIPT}${SVG}${ANSI}${CONTROL}`;

/** Unique per run: the e2e database is shared by every spec and every run. */
const run = Math.random().toString(36).slice(2, 10);
const containerId = `hostile-${run}`;

function hostileEvent(second: number) {
  return {
    "@timestamp": `2026-11-23T09:10:${String(second).padStart(2, "0")}.000Z`,
    message: HOSTILE,
    event: { category: ["process"], type: ["start"], action: "exec", kind: "event", module: "cloud_defend" },
    container: { id: containerId, name: `web${IMG}`, image: { name: `img${SCRIPT}`, tag: `t${ANSI}` } },
    orchestrator: { namespace: `ns${SVG}`, resource: { type: "pod", name: `pod${CONTROL}` } },
    host: { name: `host${IMG}` },
    user: { name: `user${SCRIPT}`, id: "0" },
    process: {
      // The rule matches on the name, so the name stays "nc"; everything around it is hostile.
      name: "nc",
      executable: `/tmp/${IMG}/nc`,
      args: ["nc", IMG, SCRIPT, ANSI, CONTROL],
      command_line: `nc ${HOSTILE}`,
      working_directory: `/${SVG}`,
      entity_id: `hostile-proc-${run}-${second}`,
      interactive: false,
      entry_leader: { entity_id: `leader-${run}`, same_as_process: false },
      parent: { entity_id: `leader-${run}`, executable: `/bin/${SCRIPT}`, name: `sh${IMG}` },
    },
  };
}

const fileName = `hostile-${run}.ndjson`;
const lines = [
  JSON.stringify(hostileEvent(1)),
  // Bad lines whose error messages quote the hostile text back.
  IMG,
  `{"@timestamp": "${SCRIPT.replaceAll('"', '\\"')}", "event": {}}`,
];

/** Fails the test if any dialog opens or any injected element or script side effect exists. */
async function expectInert(page: Page): Promise<void> {
  const main = page.locator("main");
  await expect(main.locator('img[src="x"]')).toHaveCount(0);
  await expect(main.locator("svg[onload]")).toHaveCount(0);
  await expect(page.locator("script", { hasText: "__kwPwned" })).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __kwPwned?: string }).__kwPwned)).toBeUndefined();
}

test("hostile text in uploaded events is shown as text and never runs", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });

  await signInAsAdmin(page);
  await page.goto("/uploads");
  await page.getByLabel("Events file").setInputFiles({
    name: fileName,
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${lines.join("\n")}\n`),
  });
  const answer = page.waitForResponse(
    (response) => response.url().includes("/api/events") && response.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Upload" }).click();
  const uploaded = (await (await answer).json()) as {
    uploadId: string;
    events: { accepted: number; rejected: number };
    errors: { line: number; message: string }[];
  };
  expect(uploaded.events).toMatchObject({ accepted: 1, rejected: 2 });
  expect(uploaded.errors.map((error) => error.line)).toEqual([2, 3]);

  // The report right after the upload.
  const report = page.getByRole("region", { name: `Report for ${fileName}` });
  await expect(report).toBeVisible();
  await expect(report.getByText("line 2:")).toBeVisible();
  await expectInert(page);

  // The stored report.
  await page.goto(`/uploads/${uploaded.uploadId}`);
  await expect(page.getByText("line 3:")).toBeVisible();
  await expectInert(page);

  // The alert the event raised, in the list and in full.
  const alerts = await page.request.get(`/api/alerts?container=${containerId}`);
  expect(alerts.ok()).toBe(true);
  const items = ((await alerts.json()) as { items: { id: string }[] }).items;
  expect(items.length).toBeGreaterThanOrEqual(1);

  await page.goto(`/alerts?container=${containerId}`);
  await expect(page.getByText(`host${IMG}`).first()).toBeVisible();
  await expectInert(page);

  await page.goto(`/alerts/${items[0]!.id}`);
  // The markup is on the page as literal text.
  await expect(page.getByText(`/tmp/${IMG}/nc`).first()).toBeVisible();
  await expectInert(page);

  expect(dialogs).toEqual([]);
});
