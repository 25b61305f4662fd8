import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createPrismaClient } from "../lib/db/client";
import { E2E_DATABASE_URL } from "./database";
import { signInAsAdmin } from "./helpers";
import { ensureBuiltinRules } from "./seed-rules";
import { createIngestToken, push } from "./sensor-push";

/**
 * Sensors push to POST /api/events with an ingest token and no file name: single Falco alerts one POST each (as
 * Falcosidekick's webhook output sends them) and small NDJSON batches (as Fluent Bit and Vector do). Their pushes
 * are one stream per token, shown on the Sources page instead of Uploads, and the promotion rule's suppression folds
 * repeats of one Falco alert into one Keelwatch alert with a count.
 */
const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, "fixtures", "sensors", name), "utf8")
    .trim()
    .split("\n");
const FALCO_LINES = fixture("falco-alerts.ndjson");
const [SIDEKICK_BODY] = fixture("falcosidekick-webhook.ndjson");

/** An hour ago: the alert list's default range holds it. */
const START = Date.now() - 60 * 60_000;

type FalcoAlert = { time: string; output_fields: Record<string, unknown> };

/**
 * A Falco alert moved into a container of this run only, `minutes` after START, so runs do not collide; and into a
 * namespace of this spec's own, so that no exception another spec wrote from the same fixtures (they name the
 * namespace) silences it.
 */
function falco(line: string, containerId: string, minutes: number): string {
  const alert = JSON.parse(line) as FalcoAlert;
  const time = new Date(START + minutes * 60_000).toISOString();
  const fields = { ...alert.output_fields, "container.id": containerId, "k8s.ns.name": "sources-e2e" };
  return JSON.stringify({ ...alert, time, output_fields: fields });
}

/** 12 hex digits unique to this run and `salt`, shaped like a container id. */
function containerId(salt: number): string {
  return (Date.now() + salt).toString(16).padStart(12, "0").slice(-12);
}

test("a sensor's single-event and batch pushes show on the Sources page with their counts and last error", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await ensureBuiltinRules(page.request, origin);
  const name = `falco-e2e-${Date.now().toString(36)}`;
  const sensor = await createIngestToken(page.request, origin, name);
  const container = containerId(0);

  // One Falco alert per POST: Falcosidekick's body (application/json), then two of Falco's own lines.
  const singles = [
    { body: falco(SIDEKICK_BODY!, container, 0), contentType: "application/json" },
    { body: falco(FALCO_LINES[1]!, container, 1), contentType: "application/json" },
    { body: falco(FALCO_LINES[2]!, container, 2), contentType: "application/json" },
  ];
  const streams = new Set<string>();
  for (const single of singles) {
    const answer = await push(request, sensor.token, single.body, { contentType: single.contentType });
    expect(answer.source).toEqual({ id: sensor.id, name });
    expect(answer.events).toMatchObject({ received: 1, accepted: 1, rejected: 0 });
    expect(answer.alerts.created).toBe(1);
    streams.add(answer.uploadId);
  }

  // A small NDJSON batch whose second line is broken: the good lines are kept, the bad one is reported by its line.
  const other = containerId(1);
  const batch = [
    falco(FALCO_LINES[0]!, other, 3),
    '{"rule": "Terminal shell in container", "priority": ',
    falco(FALCO_LINES[1]!, other, 3),
  ];
  const answer = await push(request, sensor.token, `${batch.join("\n")}\n`, { status: 207 });
  expect(answer.events).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
  expect(answer.errors).toHaveLength(1);
  expect(answer.errors[0]!.line).toBe(2);
  expect(answer.alerts.created).toBe(2);
  streams.add(answer.uploadId);
  // Every push joined the token's one stream, which is not an upload.
  expect(streams.size).toBe(1);
  const listed = await page.request.get("/api/uploads?limit=200");
  expect(listed.status()).toBe(200);
  const uploads = (await listed.json()) as { items: { id: string }[] };
  expect(uploads.items.map((upload) => upload.id)).not.toContain(answer.uploadId);

  await page.goto("/sources");
  await expect(page.getByRole("heading", { level: 1, name: "Sources" })).toBeVisible();
  const row = page.getByTestId("source-row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("source-formats")).toHaveText("Falco");
  await expect(row.getByTestId("source-health")).toHaveText("Rejecting lines");
  await expect(row.getByTestId("source-last-seen")).toHaveText(/just now|1 min ago/);
  // events / alerts: 5 events kept, 5 alerts raised (5 distinct Falco alerts), 1 line rejected
  await expect(row.getByTestId("source-last-hour")).toHaveText("5 / 5");
  await expect(row.getByTestId("source-last-day")).toHaveText("5 / 5");
  await expect(row.getByTestId("source-rejected")).toHaveText("1");

  await row.getByRole("button", { name: `Details of ${name}` }).click();
  const detail = page.getByTestId("source-detail");
  await expect(detail).toContainText("4 pushes · 5 events · 1 rejected · 5 alerts");
  const error = detail.getByTestId("source-error");
  await expect(error).toHaveCount(1);
  await expect(error.getByRole("cell").nth(1)).toHaveText("2");
  await expect(error.getByRole("cell").nth(2)).toHaveText(answer.errors[0]!.message);
  // The stream's report: the same page as an upload's, reached only from here.
  await detail.getByRole("link", { name: "Stream report" }).click();
  await expect(page).toHaveURL(new RegExp(`/uploads/${answer.uploadId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);

  // The pushed Falco alerts are alerts like any other, named after their Falco rule with the mapped severity.
  await page.goto(`/alerts?container=${container}`);
  const alerts = page.getByTestId("alert-row");
  await expect(alerts).toHaveCount(3);
  await expect(alerts.filter({ hasText: "Terminal shell in container" })).toContainText(/medium/i);
  await expect(alerts.filter({ hasText: "Read sensitive file untrusted" })).toContainText(/high/i);

  // From the source, its own alerts: the list narrowed to its stream, the filter named after the sensor.
  await page.goto("/sources");
  await row.getByRole("button", { name: `Details of ${name}` }).click();
  await detail.getByRole("link", { name: `Alerts from ${name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/alerts\\?upload=${answer.uploadId}$`));
  const chip = page.getByRole("button", { name: `Remove source filter ${name}` });
  await expect(chip).toBeVisible();
  await expect(alerts).toHaveCount(5);
  await chip.click();
  await expect(page).not.toHaveURL(/upload=/);
});

test("suppression folds a Falco alert pushed again and again into one alert with its count", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  await ensureBuiltinRules(page.request, origin);
  const sensor = await createIngestToken(page.request, origin, `falco-repeats-${Date.now().toString(36)}`);
  const container = containerId(2);
  // "Contact K8S API Server From Container" (Notice → medium).
  const repeat = (minutes: number) => falco(FALCO_LINES[2]!, container, minutes);

  const first = await push(request, sensor.token, repeat(0), { contentType: "application/json" });
  expect(first.alerts).toMatchObject({ created: 1, suppressed: 0 });
  // The same Falco rule, command and container within the promotion rule's 5 minutes: folded in, not raised.
  for (const minutes of [1, 2, 3]) {
    const next = await push(request, sensor.token, repeat(minutes), { contentType: "application/json" });
    expect(next.alerts).toMatchObject({ created: 0, suppressed: 1 });
  }

  await page.goto(`/alerts?container=${container}`);
  const rows = page.getByTestId("alert-row");
  await expect(rows).toHaveCount(1);
  const link = rows.getByRole("link", { name: /Contact K8S API Server From Container/ });
  await expect(link).toContainText("+3");
  await expect(rows).toContainText(/medium/i);
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: "Contact K8S API Server From Container" })).toBeVisible();
  await expect(page.getByTestId("suppressed-count")).toHaveText("+3 repeats folded in by suppression");
});

test("the dashboard flags a silent source and leads to it", async ({ page, request }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page);
  const origin = new URL(page.url()).origin;
  const name = `quiet-sensor-${Date.now().toString(36)}`;
  const sensor = await createIngestToken(page.request, origin, name);
  await push(request, sensor.token, falco(FALCO_LINES[2]!, containerId(3), 0), { contentType: "application/json" });

  // Two hours of quiet cannot be waited for: move its last push back, past max(10 × its usual gap, 15 minutes).
  const db = createPrismaClient(E2E_DATABASE_URL);
  try {
    await db.source.update({
      where: { tokenId: sensor.id },
      data: { lastSeenAt: new Date(Date.now() - 2 * 3_600_000) },
    });
  } finally {
    await db.$disconnect();
  }

  await page.goto("/");
  const notice = page.getByTestId("silent-sources");
  await expect(notice).toContainText(/\b\d+ sources? silent/);
  await notice.getByRole("link", { name: /sources? silent/ }).click();
  await expect(page).toHaveURL(/\/sources$/);
  const row = page.getByTestId("source-row").filter({ hasText: name });
  await expect(row.getByTestId("source-health")).toHaveText("Silent");
  await expect(row.getByTestId("source-health")).toHaveAttribute("title", /^Nothing received for 2 h/);
  await expect(row.getByTestId("source-last-seen")).toHaveText("2 h ago");
});
