/**
 * Every corpus case through the CLI, in-process: `keelwatch ingest` (its HTTP
 * call answered by the real POST /api/events handler over a real SQLite
 * database), `keelwatch detect` (offline) and `keelwatch eql`. Exit codes and messages follow
 * from the case's HTTP expectation; no crash, no prototype pollution, and
 * bounded memory for the large inputs.
 */
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "../../../app/api/events/route";
import { issueApiToken } from "../../auth/api-tokens";
import { TEST_ORIGIN } from "../../auth/test-helpers";
import type { CliIO } from "../../cli/io";
import { main } from "../../cli/main";
import { prisma } from "../../db/client";
import { createTestDatabase } from "../../db/test-database";
import { CORPUS, type CorpusCase } from "./corpus";
import {
  expectNoPollution,
  expectReport,
  inputFolder,
  inputPath,
  isReportExpectation,
  MAX_HEAP_GROWTH,
  type PublicReport,
  peakHeapGrowth,
} from "./harness";

const database = createTestDatabase();
process.env.DATABASE_URL = database.url;
const generated = inputFolder();
let token: string;

beforeAll(async () => {
  token = (await issueApiToken({ name: "corpus-cli", role: "ingest", expiresAt: null, createdById: null })).token;
  // `keelwatch ingest` talks HTTP; here its requests go straight to the route handler.
  vi.stubGlobal("fetch", async (input: URL | string, init?: RequestInit) =>
    POST(new Request(input, { ...init, duplex: "half" } as RequestInit)),
  );
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await prisma().$disconnect();
  database.cleanup();
  generated.cleanup();
});

interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `keelwatch ARGV` as bin/keelwatch.ts does: an error escaping a command
 * becomes "keelwatch: <message>" on stderr and exit code 1.
 */
async function keelwatch(argv: string[]): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const io: CliIO = { stdin: Readable.from([]), stdout, stderr, env: { NODE_ENV: "test" }, cwd: generated.dir };
  let code: number;
  try {
    code = await main(argv, io);
  } catch (error) {
    stderr.write(`keelwatch: ${error instanceof Error ? error.message : String(error)}\n`);
    code = 1;
  }
  // PassThrough delivers data on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8") };
}

async function withUploadLimit<T>(testCase: CorpusCase, work: () => Promise<T>): Promise<T> {
  if (testCase.maxUploadBytes === undefined) return work();
  process.env.KEELWATCH_MAX_UPLOAD_BYTES = String(testCase.maxUploadBytes);
  try {
    return await work();
  } finally {
    delete process.env.KEELWATCH_MAX_UPLOAD_BYTES;
  }
}

async function checkIngest(testCase: CorpusCase, file: string): Promise<void> {
  const format = testCase.format ?? "auto";
  const run = await withUploadLimit(testCase, () =>
    keelwatch(["ingest", file, "--url", TEST_ORIGIN, "--token", token, "--format", format]),
  );
  const { expected } = testCase;
  if (!isReportExpectation(expected)) {
    expect(run.code, run.err).toBe(1);
    expect(run.err).toContain(`the server answered ${expected.status}`);
    expect(run.err).toContain(expected.message);
    return;
  }
  if (expected.status === 400) {
    // Nothing was usable: exit 1, and the report (with every error's line) is on stderr.
    expect(run.code, run.err).toBe(1);
    expect(run.err).toContain("the server answered 400");
    const report = JSON.parse(run.err.slice(run.err.indexOf("{"))) as PublicReport;
    expectReport(report, expected, `${testCase.name} (ingest)`);
    return;
  }
  expect(run.code, run.err).toBe(expected.status === 200 ? 0 : 3);
  const report = JSON.parse(run.out) as PublicReport;
  expectReport(report, expected, `${testCase.name} (ingest)`);
  const stored = await prisma().event.count({ where: { uploadId: report.uploadId } });
  expect(stored).toBe(expected.accepted - (expected.duplicate ?? 0));
}

async function checkDetect(testCase: CorpusCase, file: string): Promise<void> {
  const run = await keelwatch(["detect", "--events", file, "--format", testCase.format ?? "auto"]);
  const { expected } = testCase;
  const warnings = run.err.split("\n").filter((line) => line.startsWith(`${file} line `));
  if (testCase.detect) {
    expect(run.code, run.err).toBe(testCase.detect.exit);
    for (const text of testCase.detect.stderr) expect(run.err).toContain(text);
    return;
  }
  if (!isReportExpectation(expected)) {
    if (expected.code === "empty_upload") {
      expect(run.code, run.err).toBe(0);
      expect(run.err).toBe("");
      expect(run.out).toBe("");
    } else {
      // The body as a whole cannot be read: one clear message, exit 1.
      expect(run.code).toBe(1);
      expect(run.err).toContain(expected.message);
    }
    return;
  }
  expect(run.code, run.err).toBe(0);
  // Offline detection prints every bad line (no cap of 1,000), each with its line number.
  expect(warnings.length).toBe(expected.rejected);
  const listed = expected.errors ?? expected.firstErrors ?? [];
  listed.forEach((wanted, index) => {
    expect(warnings[index]).toContain(`line ${wanted.line}: `);
    expect(warnings[index]).toContain(wanted.message);
  });
  // Whatever the alerts are, each stdout line is one JSON object.
  for (const line of run.out.split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
}

/**
 * `keelwatch eql` reads the raw events (no format adapter), so its counts differ
 * from ingest's; what must hold is its exit code, a message for an unreadable
 * body, and that every event it prints is one JSON line.
 */
async function checkEql(testCase: CorpusCase, file: string): Promise<void> {
  const run = await keelwatch(["eql", "--events", file, "--query", "any where true"]);
  const { expected } = testCase;
  const unreadable = !isReportExpectation(expected) && expected.code === "unreadable_upload";
  expect(run.code, run.err).toBe(unreadable ? 1 : 0);
  if (unreadable) expect(run.err).toContain(expected.message);
  expect(run.err).not.toMatch(/^keelwatch: /m);
  for (const line of run.out.split("\n").filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
}

describe("bad-input corpus through the CLI", () => {
  for (const testCase of CORPUS) {
    it(`${testCase.name}`, async () => {
      const file = await inputPath(testCase, generated.dir);
      const work = async () => {
        await checkIngest(testCase, file);
        await checkDetect(testCase, file);
        await checkEql(testCase, file);
      };
      if (testCase.big) {
        const { growth } = await peakHeapGrowth(work);
        expect(growth, `memory grew by ${Math.round(growth / 2 ** 20)} MiB`).toBeLessThan(MAX_HEAP_GROWTH);
      } else {
        await work();
      }
      expectNoPollution(testCase.name);
    });
  }
});
