import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "../../db/client";
import { setUpTestDatabase } from "../../db/test-database-hooks";
import { createChannel } from "../../notify/channels-admin";
import { startHttpReceiver } from "../../notify/test-receivers";
import { runCli } from "../run-for-test";

const database = setUpTestDatabase();
process.env.KEELWATCH_SECRET_KEY = "cli-notify-test-key";
const receiver = await startHttpReceiver();
afterAll(() => receiver.close());

function notify(argv: string[]) {
  return runCli(["notify", ...argv], database.url);
}

describe("keelwatch notify test", () => {
  it("sends a test message through a channel named by name or id to a real receiver", async () => {
    const created = await createChannel(
      {
        principal: { kind: "user", id: "u", username: "admin", displayName: "A", role: "admin" },
        ip: null,
        sessionIdHash: null,
      },
      { kind: "slack", name: "team-chat", url: `${receiver.url}/hooks/abc` },
    );
    if (!created.ok) throw new Error(created.message);

    const byName = await notify(["test", "team-chat"]);
    expect(byName.err).toBe("");
    expect(byName.code).toBe(0);
    expect(byName.out).toMatch(/^Delivered a test message through "team-chat" \(200\), key \S+\n$/);
    const byId = await notify(["test", created.value.id]);
    expect(byId.code).toBe(0);

    expect(receiver.requests).toHaveLength(2);
    const keys = receiver.requests.map((request) => request.headers["idempotency-key"]);
    expect(byName.out).toContain(`key ${keys[0]}`);
    expect(JSON.parse(receiver.requests[0]?.body ?? "{}").text).toContain("test message from Keelwatch");
    expect(await prisma().notificationDelivery.count({ where: { kind: "test", status: "delivered" } })).toBe(2);
  });

  it("exits 1 with the receiver's error when the send fails, and for an unknown channel", async () => {
    receiver.answerWith(() => 404);
    const failed = await notify(["test", "team-chat"]);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/the test through "team-chat" failed: the receiver answered HTTP 404/);
    const unknown = await notify(["test", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no notification channel named or with id "nope"');
  });

  it("explains its usage", async () => {
    const missing = await notify(["test"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("name the channel to test");
    expect((await notify(["send", "x"])).err).toContain('unknown action "send"');
  });
});
