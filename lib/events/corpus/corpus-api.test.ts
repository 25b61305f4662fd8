/**
 * Every corpus case through POST /api/events with a real SQLite database: the
 * answer the manifest states, the good lines stored (and what they hold), no
 * prototype pollution, and bounded memory for the large inputs.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../../app/api/events/route";
import { issueApiToken } from "../../auth/api-tokens";
import { TEST_ORIGIN } from "../../auth/test-helpers";
import { prisma } from "../../db/client";
import { readEventDocuments } from "../../db/events";
import { createTestDatabase } from "../../db/test-database";
import { CORPUS, type CorpusCase } from "./corpus";
import {
  expectNoPollution,
  expectReport,
  inputFolder,
  inputPath,
  isReportExpectation,
  MAX_HEAP_GROWTH,
  ownField,
  type PublicReport,
  peakHeapGrowth,
} from "./harness";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
const generated = inputFolder();
let token: string;

beforeAll(async () => {
  token = (await issueApiToken({ name: "corpus", role: "ingest", expiresAt: null, createdById: null })).token;
});
afterAll(async () => {
  await prisma().$disconnect();
  database.cleanup();
  generated.cleanup();
});

/** Streams the file as the request body, as a browser or `keelwatch ingest` would. */
async function upload(testCase: CorpusCase): Promise<Response> {
  const file = await inputPath(testCase, generated.dir);
  const query = new URLSearchParams({ format: testCase.format ?? "auto", filename: "corpus-input" });
  const request = new Request(`${TEST_ORIGIN}/api/events?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
  if (testCase.maxUploadBytes === undefined) return POST(request);
  process.env.KEELWATCH_MAX_UPLOAD_BYTES = String(testCase.maxUploadBytes);
  try {
    return await POST(request);
  } finally {
    delete process.env.KEELWATCH_MAX_UPLOAD_BYTES;
  }
}

async function checkCase(testCase: CorpusCase): Promise<void> {
  const response = await upload(testCase);
  const body = await response.json();
  const { expected } = testCase;
  expect(response.status, JSON.stringify(body).slice(0, 500)).toBe(expected.status);

  if (!isReportExpectation(expected)) {
    expect(body.error.code).toBe(expected.code);
    expect(body.error.message).toContain(expected.message);
    return;
  }
  const report = body as PublicReport;
  expectReport(report, expected, testCase.name);
  // Nothing else in this database has these events: every accepted line is a new row unless the case says so.
  expect(report.events.duplicate).toBe(expected.duplicate ?? 0);
  const rows = await prisma().event.findMany({
    where: { uploadId: report.uploadId },
    select: { id: true, line: true },
    orderBy: { line: "asc" },
  });
  // Documents live in the event store's blocks; lib/db/events reads them back.
  const wantedLines = new Set((testCase.stored ?? []).map((wanted) => wanted.line));
  const documents = await readEventDocuments(rows.filter((row) => wantedLines.has(row.line)).map((row) => row.id));
  expect(rows.length).toBe(expected.accepted - (expected.duplicate ?? 0));
  const rejectedLines = new Set(report.errors.map((error) => error.line));
  // A line that was refused is never also stored (array elements share lines, so only for NDJSON-like cases).
  if (expected.errors && new Set(expected.errors.map((e) => e.line)).size === expected.errors.length) {
    for (const row of rows) expect(rejectedLines.has(row.line), `line ${row.line} both stored and refused`).toBe(false);
  }
  for (const wanted of testCase.stored ?? []) {
    const row = rows.find((candidate) => candidate.line === wanted.line);
    expect(row, `no stored event for line ${wanted.line}`).toBeDefined();
    const document = documents.get(row!.id);
    expect(typeof document, `document of line ${wanted.line}`).toBe("string");
    expect(ownField(JSON.parse(document as string), wanted.field), `${wanted.field} of line ${wanted.line}`).toEqual(
      wanted.value,
    );
  }
}

describe("bad-input corpus through POST /api/events", () => {
  it("has at least 60 cases with unique names", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((entry) => entry.name)).size).toBe(CORPUS.length);
  });

  for (const testCase of CORPUS) {
    it(`${testCase.name}: ${testCase.covers}`, async () => {
      if (testCase.big) {
        // Generated before measuring: the input file is not the server's memory.
        await inputPath(testCase, generated.dir);
        const { growth } = await peakHeapGrowth(() => checkCase(testCase));
        expect(growth, `memory grew by ${Math.round(growth / 2 ** 20)} MiB`).toBeLessThan(MAX_HEAP_GROWTH);
      } else {
        await checkCase(testCase);
      }
      expectNoPollution(testCase.name);
    });
  }
});
