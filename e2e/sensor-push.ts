import { type APIRequestContext, expect } from "@playwright/test";

/**
 * A sensor as Keelwatch meets it: an ingest token, created through the API by the signed-in admin (`adminRequest`
 * is page.request after signing in), whose pushes (POST /api/events without a file name) form one stream.
 */
export async function createIngestToken(adminRequest: APIRequestContext, origin: string, name: string) {
  const created = await adminRequest.post("/api/tokens", { data: { name, role: "ingest" }, headers: { origin } });
  expect(created.status(), `creating the ingest token "${name}"`).toBe(201);
  return ((await created.json()) as { token: { id: string; token: string } }).token;
}

export interface PushAnswer {
  uploadId: string;
  events: { received: number; accepted: number; rejected: number };
  errors: { line: number; message: string }[];
  alerts: { created: number; suppressed: number; suppressedByException: number; byRule: Record<string, number> };
  source: { id: string; name: string };
}

/**
 * One push, as Falcosidekick (one JSON object, `application/json`) or Fluent Bit / Vector (NDJSON lines) send it.
 * `request` is a context without the admin's cookie, so only the token speaks.
 */
export async function push(
  request: APIRequestContext,
  token: string,
  body: string,
  options: { contentType?: string; status?: number } = {},
): Promise<PushAnswer> {
  const response = await request.post("/api/events", {
    headers: { authorization: `Bearer ${token}`, "content-type": options.contentType ?? "application/x-ndjson" },
    data: body,
  });
  expect(response.status(), await response.text()).toBe(options.status ?? 200);
  return (await response.json()) as PushAnswer;
}
