import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiRequest, signedInUser, TEST_ORIGIN } from "@/lib/auth/test-helpers";
import { seedAlert, seedRule } from "@/lib/db/alert-test-fixtures";
import { prisma } from "@/lib/db/client";
import { createTestDatabase, writeLockHolder } from "@/lib/db/test-database";
import { PATCH as patchAlert } from "./alerts/[id]/route";
import { PATCH as patchRule } from "./rules/[id]/route";

/**
 * Write routes answer a storage failure as 503/507 JSON, not a bare 500: here
 * a second connection holds the database's write lock (as another process
 * would) while the routes try to write through the app's own connection.
 */
const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
// The app waits 10 s for a lock; the test need not. Read when the first query opens the app's connection.
process.env.KEELWATCH_BUSY_TIMEOUT_MS = "50";

let cookie = "";
let ruleId = "";
const lock = writeLockHolder(database.file);

beforeAll(async () => {
  cookie = (await signedInUser("busy-ana", "analyst")).cookie;
  ruleId = (await seedRule(prisma())).id;
});

afterEach(() => {
  lock.release();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
});

function jsonRequest(path: string, method: string, body: unknown, headers: Record<string, string> = {}): Request {
  const base = apiRequest(path, { method, cookie, origin: TEST_ORIGIN, body });
  const merged = new Headers(base.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Request(base.url, { method, headers: merged, body: JSON.stringify(body) });
}

const context = (id: string) => ({ params: Promise.resolve({ id }) });

describe("write routes while another process holds the database lock", () => {
  it("PATCH /api/alerts/:id answers 503 database_busy with Retry-After, and 200 once the lock is gone", async () => {
    const id = (await seedAlert(prisma(), { ruleId, eventIds: [] })).id;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    lock.hold();
    const busy = await patchAlert(
      jsonRequest(`/api/alerts/${id}`, "PATCH", { status: "acknowledged", version: 1 }),
      context(id),
    );
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(await busy.json()).toMatchObject({ error: { code: "database_busy" } });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/PATCH \/api\/alerts\/.+ answered 503: SQLITE_BUSY/));

    lock.release();
    const done = await patchAlert(
      jsonRequest(`/api/alerts/${id}`, "PATCH", { status: "acknowledged", version: 1 }),
      context(id),
    );
    expect(done.status).toBe(200);
  });

  it("PATCH /api/rules/:id answers 503 database_busy and leaves the rule as it was", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    lock.hold();
    const busy = await patchRule(
      jsonRequest(`/api/rules/${ruleId}`, "PATCH", { severity: "critical" }),
      context(ruleId),
    );
    expect(busy.status).toBe(503);
    expect(await busy.json()).toMatchObject({ error: { code: "database_busy" } });
    lock.release();
    expect((await prisma().rule.findUniqueOrThrow({ where: { id: ruleId } })).severity).toBe("medium");
  });
});
