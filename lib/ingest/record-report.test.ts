import { describe, expect, it, vi } from "vitest";
import type { UploadReport } from "../db/uploads";
import { recordUploadReport } from "./record-report";

const report = { uploadId: "u-1", status: "failed", failure: "database is locked" } as UploadReport;

function flakyWrite(failures: number) {
  let calls = 0;
  const write = vi.fn(async () => {
    calls++;
    if (calls <= failures) throw new Error("database is locked");
  });
  return write;
}

describe("recordUploadReport", () => {
  it("writes once when the database accepts it", async () => {
    const write = flakyWrite(0);
    expect(await recordUploadReport(report, write, [1])).toBe(true);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it("never throws, and keeps trying in the background until the write goes through", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const write = flakyWrite(3);
    expect(await recordUploadReport(report, write, [1, 1, 1, 1, 1])).toBe(false);
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(4), { timeout: 2_000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(write).toHaveBeenCalledTimes(4);
    expect(write).toHaveBeenLastCalledWith(report);
  });

  it("stops after the last pause and says so", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const write = flakyWrite(100);
    await recordUploadReport(report, write, [1, 1]);
    await vi.waitFor(() => expect(errors).toHaveBeenLastCalledWith(expect.stringMatching(/gave up .* u-1/)), {
      timeout: 2_000,
    });
    expect(write).toHaveBeenCalledTimes(3);
  });
});
