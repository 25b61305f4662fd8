import { createUser } from "../db/users";
import { hashPassword } from "./passwords";
import type { UserRole } from "./roles";
import { SESSION_COOKIE, startSession } from "./sessions";

export const TEST_ORIGIN = "http://keelwatch.test";

/** A user with a live session; returns the Cookie header a browser would send. */
export async function signedInUser(username: string, role: UserRole, password = "correct horse battery") {
  const user = await createUser({ username, displayName: username, role, passwordHash: await hashPassword(password) });
  const session = await startSession(user.id, {});
  return { user, cookie: `${SESSION_COOKIE}=${session.cookieValue}`, cookieValue: session.cookieValue };
}

export function apiRequest(
  path: string,
  init: { method?: string; cookie?: string; token?: string; origin?: string | null; body?: unknown } = {},
): Request {
  const headers = new Headers({ host: new URL(TEST_ORIGIN).host });
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.origin !== undefined && init.origin !== null) headers.set("origin", init.origin);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  return new Request(`${TEST_ORIGIN}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
