import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import type { NotificationMessage } from "../message";
import type { NotifiedAlert } from "../notified-alert";
import { sendEmail } from "./email";

interface ReceivedMail {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
}

const servers: SMTPServer[] = [];

/** A real SMTP server on a free local port that keeps every message it accepts. */
async function startSmtpServer(options: Partial<SMTPServerOptions> = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "keelwatch" && auth.password === "smtp-pass") callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
    ...options,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.server.address() as AddressInfo).port, received };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** Unfolds header lines and undoes quoted-printable soft breaks and escapes, enough to search the message. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/\r?\n[ \t]/g, " ")
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

const alert: NotifiedAlert = {
  id: "alert-1",
  url: "https://kw.example.org/alerts/alert-1",
  rule: { id: "r1", name: "Interactive shell <in> container", tags: [] },
  severity: "high",
  riskScore: 73,
  status: "open",
  timestamp: "2026-11-23T08:00:00.000Z",
  container: { id: "c0ffee", name: "web-1", image: "nginx:1.27" },
  pod: { name: "web-1-abc", namespace: "shop" },
  host: "node-7",
  process: { name: "sh", executable: "/bin/sh", commandLine: "sh -i" },
  user: "www-data",
  uploadId: null,
  sourceTokenId: null,
};

const message: NotificationMessage = {
  kind: "alert",
  deliveryId: "delivery-123",
  notificationRule: { id: "n1", name: "high and critical" },
  alerts: [alert],
  windowMinutes: null,
  baseUrl: "https://kw.example.org",
};

const settings = (port: number) => ({
  kind: "email" as const,
  host: "127.0.0.1",
  port,
  security: "none" as const,
  username: "keelwatch",
  password: "smtp-pass",
  from: "keelwatch@example.org",
  to: ["soc@example.org", "oncall@example.org"],
});

describe("e-mail delivery to a real SMTP server", () => {
  it("authenticates and delivers a message naming the alert, with its delivery id as Message-ID", async () => {
    const smtp = await startSmtpServer({ allowInsecureAuth: true });
    const outcome = await sendEmail(settings(smtp.port), message);
    expect(outcome).toEqual({ ok: true, statusCode: 250 });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({
      from: "keelwatch@example.org",
      to: ["soc@example.org", "oncall@example.org"],
      user: "keelwatch",
    });
    const raw = decodeQuotedPrintable(mail?.raw ?? "");
    expect(raw).toMatch(
      /^Subject: \[Keelwatch\] HIGH: Interactive shell <in> container in container web-1, pod shop\/web-1-abc, host node-7\r?$/m,
    );
    expect(raw).toContain("Message-ID: <delivery-123@keelwatch>");
    expect(raw).toContain("X-Keelwatch-Delivery: delivery-123");
    expect(raw).toContain("Command line: sh -i");
    expect(raw).toContain("Pod: shop/web-1-abc");
    expect(raw).toContain("Open the alert: https://kw.example.org/alerts/alert-1");
    // The HTML part escapes what came from events.
    expect(raw).toContain("Interactive shell &#60;in&#62; container");
    expect(raw).not.toContain("<h2>HIGH: Interactive shell <in>");
  });

  it("reports a refused login with the server's reply code", async () => {
    const smtp = await startSmtpServer({ allowInsecureAuth: true });
    const outcome = await sendEmail({ ...settings(smtp.port), password: "wrong" }, message);
    expect(outcome).toMatchObject({ ok: false, statusCode: 535, error: expect.stringContaining("EAUTH") });
    expect(smtp.received).toHaveLength(0);
  });

  it("refuses to send in clear when STARTTLS is required and the server does not offer it", async () => {
    const smtp = await startSmtpServer({ allowInsecureAuth: true });
    const outcome = await sendEmail({ ...settings(smtp.port), security: "starttls" }, message);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? "" : outcome.error).toMatch(/STARTTLS/i);
    expect(smtp.received).toHaveLength(0);
  });

  it("reports a server that cannot be reached", async () => {
    const smtp = await startSmtpServer();
    const port = smtp.port;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const outcome = await sendEmail(settings(port), message);
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining("ECONNREFUSED") });
  });
});
