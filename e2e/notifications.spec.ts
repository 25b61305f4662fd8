import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { E2E_ADMIN_PASSWORD } from "../playwright.config";
import { E2E_DATABASE_URL } from "./database";
import { ensureBuiltinRules } from "./seed-rules";

interface Received {
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A Slack-compatible incoming-webhook receiver on a free port: it keeps each message's text. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { text: string };
      received.push({ headers: request.headers, text: body.text });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T0/B0/e2e-secret`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The high and critical alerts an upload raised, read straight from the e2e server's database (e2e/database.ts). */
async function highAlertsOf(uploadId: string): Promise<{ id: string; ruleName: string; severity: string }[]> {
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    return await db.alert.findMany({
      where: { uploadId, severityRank: { gte: 3 } },
      select: { id: true, ruleName: true, severity: true },
    });
  } finally {
    await db.$disconnect();
  }
}

async function removeSampleData(page: Page, origin: string) {
  const removed = await page.request.delete("/api/samples", { headers: { origin } });
  expect(removed.ok()).toBe(true);
}

test("an admin routes high and critical alerts to a Slack-compatible channel; a receiver that is down shows", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const suffix = Date.now().toString(36);
  const channelName = `e2e-chat-${suffix}`;
  const ruleName = `e2e-high-${suffix}`;
  try {
    // Signed in through the API: the first sign-in of a fresh server can take longer than the form's wait.
    const signedIn = await page.request.post("/api/auth/login", {
      data: { username: "admin", password: E2E_ADMIN_PASSWORD },
      timeout: 60_000,
    });
    expect(signedIn.ok(), await signedIn.text()).toBe(true);
    await page.goto("/settings");
    await expect(page.getByTestId("signed-in-user")).toHaveText("Administrator");
    const origin = new URL(page.url()).origin;
    await ensureBuiltinRules(page.request, origin);
    await removeSampleData(page, origin);

    await page.getByRole("tab", { name: "Notifications" }).click();
    await page.getByLabel("Channel type").selectOption("slack");
    await page.getByLabel("Channel name").fill(channelName);
    await page.getByLabel("Webhook URL").fill(receiver.url);
    await page.getByRole("button", { name: "Add channel" }).click();
    const row = page.getByTestId(`channel-row-${channelName}`);
    await expect(row.getByTestId("channel-state")).toContainText("OK");
    // The URL holds the receiver's token: only its host is shown.
    await expect(row).toContainText(new URL(receiver.url).host);
    await expect(page.getByText("e2e-secret")).toHaveCount(0);

    await row.getByRole("button", { name: `Test ${channelName}` }).click();
    await expect(row.getByRole("status")).toHaveText("Test message delivered (200).");
    expect(receiver.received.at(-1)?.text).toContain("test message from Keelwatch");

    await page.getByLabel("Rule name").fill(ruleName);
    await page.getByLabel("Severity").selectOption("high");
    await page.getByRole("checkbox", { name: new RegExp(channelName) }).check();
    await page.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByTestId(`notification-rule-row-${ruleName}`)).toContainText("high and above");

    // The sample incident, loaded as a user would: its high and critical alerts arrive, and nothing else.
    const tests = receiver.received.length;
    await page.goto("/uploads");
    await page.getByRole("button", { name: "Load sample incident" }).click();
    await expect(page).toHaveURL(/\/alerts$/, { timeout: 30_000 });
    const status = (await (await page.request.get("/api/samples")).json()) as { uploads: { id: string }[] };
    const uploadId = status.uploads.at(-1)?.id ?? "";
    const expected = await highAlertsOf(uploadId);
    expect(expected.length).toBeGreaterThan(0);
    await expect.poll(() => receiver.received.length - tests, { timeout: 30_000 }).toBe(expected.length);
    const messages = receiver.received.slice(tests);
    for (const alert of expected) {
      const message = messages.find((each) => each.text.includes(`/alerts/${alert.id}|`));
      expect(message, `a message for alert ${alert.id}`).toBeDefined();
      expect(message?.text).toContain(`*${alert.severity.toUpperCase()}: ${alert.ruleName} in container`);
      expect(message?.text).toContain(`Notification rule: ${ruleName}`);
      expect(message?.headers["idempotency-key"]).toBeTruthy();
    }

    // The alert's page shows where its notification went.
    await page.goto(`/alerts/${expected[0]?.id}`);
    await expect(page.getByTestId("notification-delivery")).toContainText(
      `${channelName} (slack, rule ${ruleName}): delivered`,
      { timeout: 20_000 },
    );

    // The receiver goes down: attempts fail, and Settings and the dashboard say so with the error.
    await receiver.stop();
    await page.goto("/settings?tab=notifications");
    for (let i = 0; i < 3; i++) {
      await row.getByRole("button", { name: `Test ${channelName}` }).click();
      await expect(row.getByRole("status")).toContainText("Test failed: could not reach 127.0.0.1");
    }
    await expect(row.getByTestId("channel-state")).toContainText("Failing");
    await expect(row.getByTestId("channel-last-error")).toContainText("ECONNREFUSED");
    await page.goto("/");
    await expect(page.getByTestId("failing-channels")).toContainText(channelName, { timeout: 20_000 });
    await expect(page.getByTestId("failing-channels")).toContainText("ECONNREFUSED");
  } finally {
    await receiver.stop().catch(() => undefined);
    // Leave no rule behind to send the other specs' alerts to a receiver that is gone.
    const origin = new URL(page.url()).origin;
    const rules = (await (await page.request.get("/api/notifications/rules")).json()) as {
      rules?: { id: string; name: string }[];
    };
    for (const rule of rules.rules?.filter((each) => each.name === ruleName) ?? []) {
      await page.request.delete(`/api/notifications/rules/${rule.id}`, { headers: { origin } });
    }
    const channels = (await (await page.request.get("/api/notifications/channels")).json()) as {
      channels?: { id: string; name: string }[];
    };
    for (const channel of channels.channels?.filter((each) => each.name === channelName) ?? []) {
      await page.request.delete(`/api/notifications/channels/${channel.id}`, { headers: { origin } });
    }
    await removeSampleData(page, origin).catch(() => undefined);
  }
});
