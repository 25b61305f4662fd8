import { afterAll, beforeAll } from "vitest";
import { alertDraftFixture } from "../../alert-test-fixtures";
import type { AlertDraft } from "../../alerts";
import { closeBatchWriter } from "../../batch-writer";
import { prisma } from "../../client";
import type { EventRow } from "../../events/index";
import { useTestPostgresDatabase } from "./test-cluster";

/**
 * What the test files of the PostgreSQL batch writer and of retention (batch-writer.test.ts, retention.test.ts) set
 * up alike: the app on a new database of the test cluster, holding the rule their alert drafts name, and drafts and
 * times to store with storeBatch.
 */

/** The rule every draft names. */
export const TOOL_RULE = { id: "r1", name: "Tool" } as const;

/**
 * Call at module level: before the file's tests, a new database made the app's (DATABASE_URL) with TOOL_RULE in it;
 * after them, the batch writer's pool and Prisma closed. `url` is the database's once beforeAll has run.
 */
export function setUpWriterTestDatabase(): { readonly url: string } {
  const database = { url: "" };
  beforeAll(async () => {
    database.url = await useTestPostgresDatabase();
    await prisma().rule.create({
      data: { ...TOOL_RULE, description: "", query: "q", severity: "medium", riskScore: 47 },
    });
  });
  afterAll(async () => {
    await closeBatchWriter();
    await prisma().$disconnect();
  });
  return database;
}

/** An alert of TOOL_RULE on these events, as detection drafts one; `suppression` makes it a suppressing rule's. */
export function toolAlertDraft(
  dedupKey: string,
  events: readonly EventRow[],
  suppression?: AlertDraft["suppression"],
): AlertDraft {
  return alertDraftFixture(TOOL_RULE, dedupKey, events, suppression);
}

/** A time of the fixtures' minute, by its second. */
export const at = (second: number): Date => new Date(Date.UTC(2026, 10, 20, 10, 0, second));
