import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../../client";
import { claimDeliveries, claimOutbox, routeOutboxRow } from "../../notification-queue";
import { waitForLockWaits } from "./lock-waits";
import { useTestPostgresDatabase } from "./test-cluster";

/**
 * The notification queue on PostgreSQL, where several instances claim at once: a claim skips the rows another
 * claim holds instead of waiting for them or taking them too. Another instance's claim in progress is played by a
 * transaction holding row locks on a connection of its own.
 */

let url: string;
let other: pg.Client;
let watcher: pg.Client;

beforeAll(async () => {
  url = await useTestPostgresDatabase();
  other = new pg.Client({ connectionString: url });
  await other.connect();
  watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  await prisma().rule.create({
    data: { id: "r1", name: "Shell", description: "", query: "q", severity: "high", riskScore: 73 },
  });
  await prisma().notificationRule.create({ data: { name: "everything" } });
});
afterAll(async () => {
  await other.end();
  await watcher.end();
  await prisma().$disconnect();
});

const now = new Date(Date.UTC(2026, 11, 6, 12));
const until = new Date(now.getTime() + 60_000);

async function createAlert(id: string, containerId: string | null = null) {
  await prisma().alert.create({
    data: {
      id,
      ruleId: "r1",
      ruleName: "Shell",
      severity: "high",
      severityRank: 3,
      riskScore: 73,
      dedupKey: `k-${id}`,
      timestamp: now,
      containerId,
    },
  });
}

describe("notification queue on PostgreSQL", () => {
  it("fills the outbox by trigger and claims around rows another instance is claiming", async () => {
    for (let i = 0; i < 6; i++) await createAlert(`alert-${i}`);
    const queued = await prisma().notificationOutbox.findMany({ orderBy: { id: "asc" } });
    expect(queued.map((row) => row.alertId)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `alert-${i}`));
    const held = queued.slice(0, 2).map((row) => row.id);
    await other.query("BEGIN");
    await other.query(`SELECT 1 FROM "NotificationOutbox" WHERE "id" = ANY($1) FOR UPDATE`, [held]);
    try {
      const claimed = await claimOutbox(now, until, 10);
      expect(claimed.map((row) => row.alertId)).toEqual([2, 3, 4, 5].map((i) => `alert-${i}`));
    } finally {
      await other.query("ROLLBACK");
    }
    // released, the two are claimable; the four claimed ones are leased until `until`
    expect((await claimOutbox(now, until, 10)).map((row) => row.alertId)).toEqual(["alert-0", "alert-1"]);
    expect(await claimOutbox(now, until, 10)).toEqual([]);
  });

  it("claims due deliveries of enabled channels around those another instance holds", async () => {
    const channel = await prisma().notificationChannel.create({
      data: { name: "hook", kind: "webhook", secrets: "v1:x:y:z" },
    });
    const off = await prisma().notificationChannel.create({
      data: { name: "off", kind: "webhook", secrets: "v1:x:y:z", enabled: false },
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const delivery = await prisma().notificationDelivery.create({
        data: { channelId: channel.id, kind: "alert", status: "pending", nextAttemptAt: new Date(now.getTime() - i) },
      });
      ids.push(delivery.id);
    }
    await prisma().notificationDelivery.create({
      data: { channelId: off.id, kind: "alert", status: "pending", nextAttemptAt: now },
    });
    await other.query("BEGIN");
    await other.query(`SELECT 1 FROM "NotificationDelivery" WHERE "id" = $1 FOR UPDATE`, [ids[0]]);
    try {
      expect((await claimDeliveries(now, until, 10)).sort()).toEqual([ids[1], ids[2]].sort());
    } finally {
      await other.query("ROLLBACK");
    }
    expect(await claimDeliveries(now, until, 10)).toEqual([ids[0]]);
  });

  it("opens a throttle window once when two instances route alerts of one rule and container at once", async () => {
    const channel = await prisma().notificationChannel.create({
      data: { name: "throttled hook", kind: "webhook", secrets: "v1:x:y:z" },
    });
    const rule = await prisma().notificationRule.create({ data: { name: "throttled", throttleMinutes: 10 } });
    await createAlert("throttled-0", "c-1");
    await createAlert("throttled-1", "c-1");
    // Both instances have claimed one of the two alerts (the earlier tests' rows are leased until `until`).
    const leaseUntil = new Date(until.getTime() + 1);
    const rows = await claimOutbox(now, leaseUntil, 10);
    expect(rows.map((row) => row.alertId)).toEqual(["throttled-0", "throttled-1"]);
    const plan = {
      notificationRuleId: rule.id,
      channelIds: [channel.id],
      throttleKey: `${rule.id}|c-1`,
      throttleMinutes: 10,
    };

    // Writes to the throttle table wait while another session holds it in SHARE mode (reads do not): both routings
    // get as far as their first write to it, then run into each other once it is released.
    await other.query("BEGIN");
    await other.query(`LOCK TABLE "NotificationThrottle" IN SHARE MODE`);
    const routed = Promise.all(rows.map((row) => routeOutboxRow(row, leaseUntil, [plan], now)));
    try {
      await waitForLockWaits(watcher, { count: 2 });
    } finally {
      await other.query("COMMIT");
    }
    expect(await routed).toEqual([true, true]);

    // One alert goes out now and opened the window; the other is held until the window ends, for its digest.
    const deliveries = await prisma().notificationDelivery.findMany({
      where: { alertId: { in: ["throttled-0", "throttled-1"] } },
      orderBy: { status: "asc" },
    });
    const windowEndsAt = new Date(now.getTime() + 10 * 60_000);
    expect(deliveries.map((delivery) => [delivery.status, delivery.nextAttemptAt])).toEqual([
      ["held", windowEndsAt],
      ["pending", now],
    ]);
    const windows = await prisma().notificationThrottle.findMany();
    expect(windows).toEqual([{ key: plan.throttleKey, windowEndsAt }]);
  });
});
