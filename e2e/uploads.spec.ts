import { expect, test } from "@playwright/test";
import { signInAsAdmin } from "./helpers";

/** A Defend for Containers process event, as cloud_defend writes it. */
function containerExec(second: number, name: string, executable: string, args: string[], entityId: string) {
  return {
    "@timestamp": `2026-11-23T08:00:${String(second).padStart(2, "0")}.000Z`,
    event: { category: ["process"], type: ["start"], action: "exec", kind: "event", module: "cloud_defend" },
    container: { id: "3f9a1c2b7d4e", name: "checkout-api", image: { name: "registry.local/checkout", tag: "1.4.2" } },
    orchestrator: { namespace: "shop", resource: { type: "pod", name: "checkout-api-7d9f" } },
    host: { name: "worker-2" },
    user: { name: "root", id: "0" },
    process: {
      name,
      executable,
      args,
      entity_id: entityId,
      interactive: false,
      entry_leader: { entity_id: "leader-1", same_as_process: false },
      parent: { entity_id: "leader-1", executable: "/bin/sh", name: "sh" },
    },
  };
}

const goodEvents = [
  containerExec(1, "nc", "/usr/bin/nc", ["nc", "-lvp", "4444"], "proc-nc"),
  containerExec(2, "ls", "/bin/ls", ["ls", "-la"], "proc-ls"),
];

function ndjsonFile(lines: string[]) {
  return {
    name: "checkout-events.ndjson",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(`${lines.join("\n")}\n`),
  };
}

test("an analyst uploads an events file and sees what it produced, with bad lines named", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/uploads");
  await expect(page.getByRole("heading", { name: "Uploads", level: 1 })).toBeVisible();

  const lines = [...goodEvents.map((event) => JSON.stringify(event)), "{not json", '"a string"'];
  await page.getByLabel("Events file").setInputFiles(ndjsonFile(lines));
  await expect(page.getByText("checkout-events.ndjson")).toBeVisible();
  await page.getByRole("button", { name: "Upload" }).click();

  const report = page.getByRole("region", { name: "Report for checkout-events.ndjson" });
  await expect(report).toBeVisible();
  await expect(report.getByText("Events received").locator("..")).toContainText("4");
  await expect(report.getByText("Accepted").locator("..")).toContainText("2");
  await expect(report.getByText("Rejected").locator("..")).toContainText("2");
  await expect(report.getByText("line 3:")).toBeVisible();
  await expect(report.getByText("line 4:")).toBeVisible();
  const ruleLink = report.getByRole("link", { name: "Suspicious Network Tool Launched Inside A Container" });
  await expect(ruleLink).toHaveAttribute("href", /\/alerts\?rule=/);

  // The same file again adds nothing, and the report says so.
  await page.getByLabel("Events file").setInputFiles(ndjsonFile(goodEvents.map((event) => JSON.stringify(event))));
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Every event in this file was already stored by an earlier upload")).toBeVisible();
  await expect(report.getByText("Alerts created").locator("..")).toContainText("0");

  // Past uploads list both (other specs may have uploaded files of their own), and a row opens the stored report.
  const history = page.getByRole("table", { name: "Past uploads" });
  await expect(history.getByRole("row", { name: /checkout-events\.ndjson/ })).toHaveCount(2);
  await history.getByRole("link", { name: "checkout-events.ndjson" }).last().click();
  await expect(page).toHaveURL(/\/uploads\/[^/]+$/);
  await expect(page.getByText("line 3:")).toBeVisible();
  await expect(page.getByRole("link", { name: "Suspicious Network Tool Launched Inside A Container" })).toBeVisible();

  // The stored report leads to exactly the alerts this upload raised, the filter named after the file.
  const raised = page.getByRole("link", { name: /^All \d+ alerts it raised$/ });
  const created = Number((await raised.textContent())?.match(/\d+/)?.[0]);
  expect(created).toBeGreaterThan(0);
  await raised.click();
  await expect(page).toHaveURL(/\/alerts\?upload=[^&]+$/);
  await expect(page.getByRole("button", { name: "Remove upload filter checkout-events.ndjson" })).toBeVisible();
  await expect(page.getByTestId("alert-row")).toHaveCount(created);
});

test("a new user can download a sample file for each format", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/uploads");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Falco" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("falco.ndjson");
  const text = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(text).toString("utf8")).toContain('"output_fields"');
});

test("a file that is not events gets a clear message", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/uploads");
  await page.getByLabel("Events file").setInputFiles({
    name: "photo.bin",
    mimeType: "application/octet-stream",
    buffer: Buffer.from([0, 1, 2, 3, 0, 255, 254, 0]),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("The upload cannot be read")).toBeVisible();

  // Its row says it failed rather than staying "Receiving": on PostgreSQL the reason once quoted the file's NUL
  // bytes, which text cannot hold, so the row could not be marked failed.
  await page.reload();
  const history = page.getByRole("table", { name: "Past uploads" });
  await expect(history.getByRole("row", { name: /photo\.bin/ })).toContainText("Failed");
});
