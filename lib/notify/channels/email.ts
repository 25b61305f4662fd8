import nodemailer from "nodemailer";
import type { ChannelSettings } from "../channel-schemas";
import { alertFacts, headlineOf, type NotificationMessage, TEST_TEXT } from "../message";
import { SEND_TIMEOUT_MS, type SendOutcome } from "./http-post";

type EmailSettings = Extract<ChannelSettings, { kind: "email" }>;

const DIGEST_LIST_LIMIT = 50;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Subject, plain text and HTML of one message; every alert value is escaped in the HTML part. */
export function emailContent(message: NotificationMessage): { subject: string; text: string; html: string } {
  const subject = `[Keelwatch] ${headlineOf(message)}`;
  if (message.kind === "test") {
    return {
      subject,
      text: `${TEST_TEXT}\n${message.baseUrl}\n`,
      html: `<p>${escapeHtml(TEST_TEXT)}</p><p><a href="${escapeHtml(message.baseUrl)}">Open Keelwatch</a></p>`,
    };
  }
  const text: string[] = [];
  const html: string[] = [`<h2>${escapeHtml(headlineOf(message))}</h2>`];
  if (message.kind === "alert" && message.alerts[0]) {
    const alert = message.alerts[0];
    const facts = alertFacts(alert);
    text.push(...facts.map((fact) => `${fact.label}: ${fact.value}`), "", `Open the alert: ${alert.url}`);
    html.push(
      "<table>",
      ...facts.map(
        (fact) => `<tr><th align="left">${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`,
      ),
      "</table>",
      `<p><a href="${escapeHtml(alert.url)}">Open the alert in Keelwatch</a></p>`,
    );
  } else {
    const listed = message.alerts.slice(0, DIGEST_LIST_LIMIT);
    text.push(
      ...listed.map(
        (alert) => `- ${alert.severity}: ${alert.rule.name} ${alert.process.commandLine ?? ""} ${alert.url}`,
      ),
    );
    html.push(
      "<ul>",
      ...listed.map(
        (alert) =>
          `<li><a href="${escapeHtml(alert.url)}">${escapeHtml(`${alert.severity}: ${alert.rule.name}`)}</a> ` +
          `<code>${escapeHtml(alert.process.commandLine ?? "")}</code></li>`,
      ),
      "</ul>",
    );
    const more = message.alerts.length - listed.length;
    if (more > 0) {
      text.push(`…and ${more} more`);
      html.push(`<p>…and ${more} more</p>`);
    }
  }
  if (message.notificationRule) {
    text.push("", `Notification rule: ${message.notificationRule.name}`);
    html.push(`<p><small>Notification rule: ${escapeHtml(message.notificationRule.name)}</small></p>`);
  }
  return { subject, text: `${text.join("\n")}\n`, html: html.join("\n") };
}

export async function sendEmail(settings: EmailSettings, message: NotificationMessage): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.username ? { user: settings.username, pass: settings.password ?? "" } : undefined,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    const content = emailContent(message);
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      ...content,
      // The same Message-ID on every attempt: mail systems and people can tell a repeat from a new alert.
      messageId: `<${message.deliveryId}@keelwatch>`,
      headers: { "X-Keelwatch-Delivery": message.deliveryId, "X-Keelwatch-Event": message.kind },
    });
    const code = Number.parseInt(String(info.response ?? "").slice(0, 3), 10);
    return { ok: true, statusCode: Number.isFinite(code) ? code : null };
  } catch (error) {
    const smtp = error as { responseCode?: number; code?: string; message?: string };
    const reason = smtp.message ?? String(error);
    return {
      ok: false,
      statusCode: smtp.responseCode ?? null,
      error: `SMTP ${settings.host}:${settings.port}: ${smtp.code ? `${smtp.code} ` : ""}${reason}`.slice(0, 500),
    };
  } finally {
    transport.close();
  }
}
