import { KEELWATCH_VERSION } from "../../app/version";
import type { NotificationMessage } from "../message";

/** What one attempt to deliver came to: the receiver's status code or reply, and the error a person can act on. */
export type SendOutcome =
  | { ok: true; statusCode: number | null }
  | { ok: false; statusCode: number | null; error: string };

export const SEND_TIMEOUT_MS = 15_000;

/** Headers every HTTP delivery carries, whatever the channel: receivers drop repeats by the idempotency key. */
export function deliveryHeaders(message: NotificationMessage): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": `Keelwatch/${KEELWATCH_VERSION}`,
    "Idempotency-Key": message.deliveryId,
    "X-Keelwatch-Delivery": message.deliveryId,
    "X-Keelwatch-Event": message.kind,
  };
}

/** POSTs a body and calls any 2xx answer delivered; redirects are not followed (a webhook URL should not move). */
export async function postJson(url: string, body: string, headers: Record<string, string>): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFetchError(error, url) };
  }
  if (response.ok) {
    await response.body?.cancel();
    return { ok: true, statusCode: response.status };
  }
  const text = (await response.text().catch(() => "")).trim().slice(0, 300);
  return {
    ok: false,
    statusCode: response.status,
    error: `the receiver answered HTTP ${response.status}${text ? `: ${text}` : ""}`,
  };
}

/** The URL is secret (it holds the token), so errors name only its host. */
function describeFetchError(error: unknown, url: string): string {
  const host = safeHost(url);
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer from ${host} within ${SEND_TIMEOUT_MS / 1000} s`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  const reason = code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `could not reach ${host}: ${reason}`;
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the receiver";
  }
}
