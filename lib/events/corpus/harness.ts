/**
 * What the corpus tests share: where a case's input is, the checks on a
 * report, on Object.prototype and on memory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import type { CorpusCase, Expected } from "./corpus";
import { generatedFile } from "./generate";

export const CASES_DIR = path.join(import.meta.dirname, "cases");

/** A temporary folder for generated inputs; remove it with `cleanup`. */
export function inputFolder(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keelwatch-corpus-"));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function inputPath(testCase: CorpusCase, generatedDir: string): Promise<string> {
  if ("file" in testCase.input) return path.join(CASES_DIR, testCase.input.file);
  return generatedFile(testCase.input.generate, generatedDir);
}

export type ReportExpectation = Extract<Expected, { accepted: number }>;

export function isReportExpectation(expected: Expected): expected is ReportExpectation {
  return "accepted" in expected;
}

export interface PublicReport {
  uploadId: string;
  events: { received: number; accepted: number; rejected: number; duplicate: number };
  errors: { line: number; message: string }[];
  errorCount: number;
}

/** The report matches the case: counts, and each listed error's line and message. */
export function expectReport(report: PublicReport, expected: ReportExpectation, where: string): void {
  expect(report.events, where).toMatchObject({ accepted: expected.accepted, rejected: expected.rejected });
  expect(report.errorCount, where).toBe(expected.rejected);
  expect(report.errors.length, where).toBe(Math.min(expected.rejected, 1_000));
  const listed = expected.errors ?? expected.firstErrors ?? [];
  if (expected.errors)
    expect(
      report.errors.map((error) => error.line),
      where,
    ).toEqual(listed.map((e) => e.line));
  listed.forEach((wanted, index) => {
    const actual = report.errors[index];
    expect(actual?.line, `${where}: error ${index}`).toBe(wanted.line);
    expect(actual?.message, `${where}: error ${index}`).toContain(wanted.message);
  });
}

/** Reads a field by own keys only (so "__proto__.x" reads the stored own key, never the prototype). */
export function ownField(document: unknown, field: string): unknown {
  let node: unknown = document;
  for (const segment of field.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype] as const;
const snapshot = () => PROTOTYPES.map((proto) => Object.getOwnPropertyNames(proto).sort().join(","));
const PRISTINE = snapshot();

/** No case may add anything to the built-in prototypes (every corpus file tries "polluted" and "isAdmin"). */
export function expectNoPollution(where: string): void {
  expect(snapshot(), where).toEqual(PRISTINE);
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted, where).toBeUndefined();
  expect(probe.isAdmin, where).toBeUndefined();
}

/** The JS heap plus memory outside it held by JS objects (Buffers): what an input held whole would show in. */
function usedMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Largest growth of used memory above its level at the start, sampled while `work` runs. */
export async function peakHeapGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = usedMemory();
  let peak = base;
  const sample = () => {
    peak = Math.max(peak, usedMemory());
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await work();
    sample();
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Heap growth allowed for one big case. Generous on purpose: it fails when a
 * whole 128 MiB bomb or a 17 MiB line is held (with its UTF-16 copy and
 * parse), not on garbage-collector timing.
 */
export const MAX_HEAP_GROWTH = 200 * 1024 * 1024;
